import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { BackupError } from './backup-error.js';

/**
 * The connection string without its password, and the password as PGPASSWORD: the PostgreSQL
 * tools read it from the environment, so it never shows in the process list.
 */
export function connectionArgs(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: password ? { PGPASSWORD: password } : {} };
}

/** Runs a PostgreSQL client tool; rejects with its last stderr lines. `input` is piped to stdin. */
export function runTool(tool: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: Readable } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, {
      env: { ...process.env, ...options.env },
      stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
    });
    if (options.input && child.stdin) {
      options.input.on('error', (error) => child.kill() && reject(error));
      // The tool may exit early (an SQL error): a closed stdin is its exit code's story, not ours.
      child.stdin.on('error', () => undefined);
      options.input.pipe(child.stdin);
    }
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new BackupError('TOOL_MISSING', `${tool} is not installed: install the PostgreSQL client tools (Debian: postgresql-client)`)
          : error,
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new BackupError('TOOL_FAILED', `${tool} exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`)),
    );
  });
}

/** `pg_dump (PostgreSQL) 15.20 (Debian …)` → 15. */
export async function toolMajorVersion(tool: string): Promise<{ major: number; version: string }> {
  const output = (await runTool(tool, ['--version'])).trim();
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.\d+)?/.exec(output);
  if (!match) throw new BackupError('TOOL_FAILED', `cannot read the version of ${tool}: "${output}"`);
  return { major: Number(match[1]), version: output };
}

/** pg_dump and pg_restore refuse a newer server; say so before they do, with what to install. */
export async function requireToolFor(tool: 'pg_dump' | 'pg_restore' | 'psql', serverVersionNum: number) {
  const { major, version } = await toolMajorVersion(tool);
  const serverMajor = Math.floor(serverVersionNum / 10_000);
  if (tool !== 'psql' && major < serverMajor) {
    throw new BackupError(
      'TOOL_TOO_OLD',
      `${tool} ${major} is older than the server (PostgreSQL ${serverMajor}): install postgresql-client-${serverMajor}`,
    );
  }
  return version;
}
