import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from './data-dir-lock.js';
import { StartupError } from './startup-error.js';

describe('lockDataDir', () => {
  const folder = () => join(mkdtempSync(join(tmpdir(), 'servio-lock-')), 'pglite');

  it('writes our pid beside the folder', () => {
    const dataDir = folder();
    lockDataDir(dataDir);
    expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
  });

  it('releases the lock when asked, before the process exits', () => {
    const dataDir = folder();
    const unlock = lockDataDir(dataDir);
    unlock();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    expect(process.listeners('exit')).not.toContain(unlock);
  });

  it('refuses a folder held by a running process', () => {
    const dataDir = folder();
    const holder = process.ppid; // alive for as long as this test runs
    writeFileSync(`${dataDir}.lock`, String(holder));
    expect(() => lockDataDir(dataDir)).toThrow(StartupError);
    expect(() => lockDataDir(dataDir)).toThrow(`in use by another process (pid ${holder})`);
  });

  it('takes over a lock left by a process that has exited', () => {
    const dataDir = folder();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${dataDir}.lock`, gone.stdout);
    lockDataDir(dataDir);
    expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
  });

  it('releases the lock when the process exits', () => {
    const dataDir = folder();
    const script = `import { lockDataDir } from './src/startup/data-dir-lock.ts'; lockDataDir(${JSON.stringify(dataDir)});`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });
});
