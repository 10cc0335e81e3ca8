import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { holdDataDir } from './testkit/data-dir-holder.js';
import { needs } from './testkit/needs.js';
import { type Json, startTestServer, type TestServer } from './testkit/test-server.js';

/** `npm run admin:bootstrap` (scripts/bootstrap-admin.ts through tsx) in a child process, stdin given. */
async function bootstrap(
  args: string[],
  stdin: string,
  database: Record<string, string> = { DATABASE_URL: inject('databaseUrl') ?? '' },
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bootstrap-admin.ts', ...args], {
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...database },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  child.stdin.end(stdin);
  const [code] = await once(child, 'exit');
  return { code: code as number | null, output };
}

describe('npm run admin:bootstrap', () => {
  let server: TestServer;
  const email = `root-${randomUUID()}@example.com`;
  const password = randomUUID(); // 36 characters, and no literal for the secret scan to flag

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates a platform admin from a password on stdin, who then signs in through the API', async (ctx) => {
    // The script opens the configured database itself: the test server's must be a shared PostgreSQL.
    needs(ctx, 'postgres');
    const created = await bootstrap(['--email', email.toUpperCase()], `${password}\n`);
    expect(created).toMatchObject({ code: 0, output: expect.stringContaining(`Platform administrator ${email} created.`) });

    const headers = await server.loginAs(email, password);
    const { body } = await server.graphql<Json>('{ me { email isAdmin } }', undefined, headers);
    expect(body.data.me).toEqual({ email, isAdmin: true });

    const again = await bootstrap(['--email', email], `${randomUUID()}\n`);
    expect(again).toMatchObject({ code: 1, output: expect.stringContaining('already exists') });
    await server.loginAs(email, password);
  });

  it('refuses a missing email or a weak password, creating nobody', async (ctx) => {
    needs(ctx, 'postgres');
    const noEmail = await bootstrap([], `${password}\n`);
    expect(noEmail).toMatchObject({ code: 1, output: expect.stringContaining('--email') });

    const weakEmail = `weak-${randomUUID()}@example.com`;
    const weak = await bootstrap(['--email', weakEmail], 'short\n');
    expect(weak).toMatchObject({ code: 1, output: expect.stringContaining('at least 12 characters') });
    expect(await server.infra.db.prisma.user.count({ where: { email: weakEmail } })).toBe(0);
  });

  it('refuses while a server holds the embedded data folder, without opening it', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'servio-bootstrap-')), 'pglite');
    const holder = await holdDataDir(dataDir);
    try {
      const refused = await bootstrap(['--email', `locked-${randomUUID()}@example.com`], `${password}\n`, { EMBEDDED_DATA_DIR: dataDir });
      expect(refused).toEqual({
        code: 1,
        output: `admin:bootstrap: The embedded database ${dataDir} is in use by another process (pid ${holder.pid}): stop it, or set EMBEDDED_DATA_DIR to another folder.\n`,
      });
    } finally {
      await holder.release();
    }
    // Opened, it would have been created and migrated.
    expect(existsSync(dataDir)).toBe(false);
    await rm(dirname(dataDir), { recursive: true, force: true });
  });
});
