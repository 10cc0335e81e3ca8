import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type Check, result, type Verdict, worst } from '../audit.js';

/** What the Docker build context must never carry: secrets, local data, history. */
export const dockerIgnoreRequired = ['.env', '.env.*', '.git', '.data', '*.pem', '*.key', 'reports'];
const skipped = new Set(['node_modules', '.git']);

/** No world-writable file, no `.env*` readable by others, and a .dockerignore that keeps secrets out of images. */
export const filePermissionsCheck: Check = {
  name: 'file permissions',
  async run({ root }) {
    const evidence: string[] = [];
    const verdicts: Verdict[] = [];
    const files = await walk(root);
    for (const path of files) {
      const { mode } = await stat(path);
      const name = relative(root, path);
      if (mode & 0o002) {
        evidence.push(`world-writable: ${name} (${(mode & 0o777).toString(8)})`);
        verdicts.push('fail');
      }
      if (/(^|\/)\.env(\.|$)/.test(name) && !name.endsWith('.example') && mode & 0o004) {
        evidence.push(`readable by others: ${name} (${(mode & 0o777).toString(8)}); chmod 600 it`);
        verdicts.push('fail');
      }
    }
    const ignored = await readFile(join(root, '.dockerignore'), 'utf8').then(
      (text) => new Set(text.split('\n').map((line) => line.trim().replace(/^\//, '').replace(/\/$/, ''))),
      () => new Set<string>(),
    );
    const missing = dockerIgnoreRequired.filter((pattern) => !ignored.has(pattern) && !ignored.has(`**/${pattern}`));
    if (missing.length > 0) {
      evidence.push(`.dockerignore does not exclude: ${missing.join(', ')}`);
      verdicts.push('fail');
    }
    evidence.unshift(`${files.length} file(s) checked outside node_modules and .git`);
    const verdict = worst(verdicts.length > 0 ? verdicts : ['pass']);
    return result(
      verdict,
      verdict === 'pass' ? 'no world-writable file, .env* private, .dockerignore keeps secrets out' : 'unsafe permissions or build context',
      evidence,
    );
  },
};

/** The files others can reach in the tree: nothing under a folder they cannot enter (no o+x) is theirs to write or read. */
async function walk(dir: string, root = true): Promise<string[]> {
  if (!root && ((await stat(dir)).mode & 0o001) === 0) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      if (skipped.has(entry.name) || entry.isSymbolicLink()) return [];
      const path = join(dir, entry.name);
      return entry.isDirectory() ? walk(path, false) : [path];
    }),
  );
  return nested.flat();
}
