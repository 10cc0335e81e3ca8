import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where SQL could be written: the server, its scripts, the Prisma schema and migrations. */
export const scannedDirectories = ['src', 'scripts', 'prisma'];
const skipped = new Set(['node_modules', join('src', 'generated')]);

// Built from parts, so this file never names what it forbids.
const unsafeMethods = ['query', 'execute'].map((verb) => `$${verb}Raw${'Unsafe'}`);
/** Raw SQL built from a string: the unsafe methods, the tagged templates called as functions, Prisma.raw. */
const forbidden = [...unsafeMethods, ...['query', 'execute'].map((verb) => `$${verb}Raw(`), `Prisma.${'raw'}(`];

/** Every file under `dir` (relative to `root`), generated code and dependencies aside. */
export async function filesUnder(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.name === 'node_modules' || skipped.has(path)) return [];
      return entry.isDirectory() ? filesUnder(root, path) : [path];
    }),
  );
  return nested.flat();
}

/** "file:line: text" for each line of `text` that builds raw SQL from a string. */
export function rawSqlOffences(file: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, index) => (forbidden.some((name) => line.includes(name)) ? [`${file}:${index + 1}: ${line.trim()}`] : []));
}

/** Scans the repository at `root`: the files looked at and every offence found. */
export async function scanForRawSql(root: string): Promise<{ files: string[]; offences: string[] }> {
  const files = (await Promise.all(scannedDirectories.map((dir) => filesUnder(root, dir)))).flat();
  const offences = (await Promise.all(files.map(async (file) => rawSqlOffences(file, await readFile(join(root, file), 'utf8'))))).flat();
  return { files, offences };
}
