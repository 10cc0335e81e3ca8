import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface PrivatePostgres {
  url: string;
  /** An immediate stop: open connections drop, new ones are refused (an outage). */
  kill(): void;
  start(): void;
  /** Stops it and deletes its data directory. */
  destroy(): void;
}

/**
 * A PostgreSQL cluster of the test's own (initdb + pg_ctl into a temporary directory, on a free
 * port), never the shared one. PostgreSQL refuses to run as root: as root it runs as user postgres.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres | { skipped: string }> {
  if (spawnSync('initdb', ['--version']).status !== 0) return { skipped: 'initdb (PostgreSQL server binaries) is not installed' };
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim()) : undefined;
  if (asRoot && !Number.isInteger(owner)) return { skipped: 'running as root without a postgres user to run PostgreSQL' };
  const dir = mkdtempSync(join(tmpdir(), 'servio-pg-'));
  if (owner !== undefined) chownSync(dir, owner, owner);
  const run = (command: string, args: string[]) => {
    const result = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args]) : spawnSync(command, args);
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  };
  const port = await freePort();
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions']);
  const start = () =>
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
  const kill = () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    kill,
    start,
    destroy() {
      spawnSync(asRoot ? 'runuser' : 'pg_ctl', [
        ...(asRoot ? ['-u', 'postgres', '--', 'pg_ctl'] : []),
        '-D',
        data,
        '-m',
        'immediate',
        'stop',
      ]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
