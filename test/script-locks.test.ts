import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { holdDataDir } from './testkit/data-dir-holder.js';

/** A script (through tsx) on an embedded data folder, its output (stdout and stderr) and exit code. */
async function run(script: string, dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { PATH: process.env.PATH, NODE_ENV: 'development', LOG_LEVEL: 'silent', EMBEDDED_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, output };
}

describe('scripts that open the embedded database take the server’s lock', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it.each([
    ['scripts/migrate.ts', 'db:migrate'],
    ['scripts/seed.ts', 'seed'],
    ['scripts/backup/generate-orders.ts', 'db:generate-orders'],
  ])('%s refuses while another process holds the folder, and opens nothing', async (script, name) => {
    const parent = await mkdtemp(join(tmpdir(), 'servio-script-lock-'));
    dirs.push(parent);
    const dataDir = join(parent, 'data');
    const holder = await holdDataDir(dataDir);
    try {
      expect(await run(script, dataDir)).toEqual({
        code: 1,
        output: `${name}: The embedded database ${dataDir} is in use by another process (pid ${holder.pid}): stop it, or set EMBEDDED_DATA_DIR to another folder.\n`,
      });
    } finally {
      await holder.release();
    }
    expect(existsSync(dataDir)).toBe(false);
  });
});
