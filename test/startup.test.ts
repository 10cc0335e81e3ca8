import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCode, startMain } from './testkit/main-process.js';

// Each test starts a child process that loads the whole server through tsx: seconds, more on a busy machine.
const childTimeout = { timeout: 120_000 };

/** Start-up problems an operator can fix: each refused before any slow work, as one line without a stack. */
describe('npm start refuses with one clear line', childTimeout, () => {
  let dataDir: string;
  let occupied: Server;
  let occupiedPort: number;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'servio-startup-'));
    occupied = createServer().listen(0, '127.0.0.1');
    await once(occupied, 'listening');
    occupiedPort = (occupied.address() as { port: number }).port;
  });
  afterAll(async () => {
    occupied?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function refusal(env: Record<string, string>): Promise<string> {
    const { child, output } = startMain({ HOST: '127.0.0.1', EMBEDDED_DATA_DIR: join(dataDir, 'pglite'), ...env });
    expect(await exitCode(child)).toBe(1);
    const text = output();
    // Checked before the database is opened: nothing else was logged, and no stack.
    expect(text).not.toContain('infrastructure ready');
    expect(text).not.toMatch(/\n\s+at /);
    expect(text.trim().split('\n')).toHaveLength(1);
    return text.trim();
  }

  it('when the port is in use', async () => {
    expect(await refusal({ PORT: String(occupiedPort) })).toBe(
      `Port ${occupiedPort} on 127.0.0.1 is already in use (another servio-api?): stop that process, or set PORT.`,
    );
  });

  it('when another running process holds the embedded data folder', async () => {
    const folder = join(dataDir, 'held');
    await writeFile(`${folder}.lock`, String(process.pid)); // this test runner: alive, and not the child
    expect(await refusal({ PORT: '0', EMBEDDED_DATA_DIR: folder })).toBe(
      `The embedded database ${folder} is in use by another process (pid ${process.pid}): stop it, or set EMBEDDED_DATA_DIR to another folder.`,
    );
  });

  it('when PostgreSQL is unreachable, without printing the password', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as { port: number }).port;
    closed.close();
    const line = await refusal({ PORT: '0', DATABASE_URL: `postgresql://servio:hunter2-secret@127.0.0.1:${port}/servio` });
    expect(line).toBe(
      `PostgreSQL at 127.0.0.1:${port} (database "servio") refused the connection (is it running?): start it, or fix DATABASE_URL.`,
    );
  });

  it('when the configuration is bad: one line per problem', async () => {
    const { child, output } = startMain({ PORT: 'forty', LOG_LEVEL: 'loud' });
    expect(await exitCode(child)).toBe(1);
    expect(output().trim().split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}- PORT: /),
      expect.stringMatching(/^ {2}- LOG_LEVEL: /),
    ]);
  });
});

describe('log format', childTimeout, () => {
  /** One info line from the process logger, in a child whose stdout is a pipe (not a terminal). */
  async function logLine(env: Record<string, string>): Promise<string> {
    const script =
      "import { loadConfig } from './src/config.ts'; import { createLogger } from './src/infra/logger.ts';" +
      "createLogger(loadConfig(process.env)).info({ orders: 3 }, 'hello from servio');";
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    expect(await exitCode(child)).toBe(0);
    return output;
  }

  it('is human-readable with LOG_FORMAT=pretty', async () => {
    const line = await logLine({ NODE_ENV: 'development', LOG_FORMAT: 'pretty' });
    expect(line).toMatch(/INFO.*: hello from servio/);
    expect(line).toMatch(/orders: 3/);
    expect(line.startsWith('{')).toBe(false);
  });

  it('stays JSON lines in production, and in development when nobody watches the terminal', async () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://db/servio',
      REDIS_URL: 'redis://cache',
      JWT_SECRET: randomBytes(32).toString('base64'),
    };
    for (const env of [production, { NODE_ENV: 'development' }]) {
      expect(JSON.parse(await logLine(env))).toMatchObject({ level: 30, msg: 'hello from servio', orders: 3 });
    }
  });
});
