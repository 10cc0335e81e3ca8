import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const scanned = ['src', 'scripts', 'prisma'];
const skipped = new Set(['node_modules', join('src', 'generated')]);

// Built from parts, so this file never names what it forbids.
const forbidden = ['query', 'execute'].map((verb) => `$${verb}Raw${'Unsafe'}`);

/** Every file under `dir` (relative to the repository root), generated code and dependencies aside. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.name === 'node_modules' || skipped.has(path)) return [];
      return entry.isDirectory() ? filesUnder(path) : [path];
    }),
  );
  return nested.flat();
}

/** "file:line: text" for each line of `text` that calls an unsafe raw-SQL method. */
function offences(file: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, index) => (forbidden.some((name) => line.includes(name)) ? [`${file}:${index + 1}: ${line.trim()}`] : []));
}

describe('no string-built SQL', () => {
  it('finds neither unsafe raw-SQL method anywhere in src/, scripts/ or prisma/', async () => {
    const files = (await Promise.all(scanned.map(filesUnder))).flat();
    // The scan really covers the code: a sanity check against scanning an empty or wrong tree.
    expect(files).toEqual(
      expect.arrayContaining([join('src', 'server.ts'), join('src', 'infra', 'db.ts'), join('prisma', 'schema.prisma')]),
    );
    expect(files.some((file) => file.startsWith(join('src', 'generated')))).toBe(false);

    const found = (await Promise.all(files.map(async (file) => offences(file, await readFile(join(root, file), 'utf8'))))).flat();

    expect(found).toEqual([]);
  });

  it('would catch either method', () => {
    expect(forbidden.map((name) => name.replace('Raw', ' raw ').split(' '))).toEqual([
      ['$query', 'raw', 'Unsafe'],
      ['$execute', 'raw', 'Unsafe'],
    ]);
    for (const name of forbidden)
      expect(offences('example.ts', `await prisma.${name}(sql);`)).toEqual([`example.ts:1: await prisma.${name}(sql);`]);
    expect(offences('example.ts', 'await prisma.$queryRaw`SELECT 1`;')).toEqual([]);
  });
});
