import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { needs } from './testkit/needs.js';
import { type Json, startTestServer, type TestServer } from './testkit/test-server.js';

/** `npm run admin:bootstrap` (scripts/bootstrap-admin.ts through tsx) in a child process, stdin given. */
async function bootstrap(args: string[], stdin: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bootstrap-admin.ts', ...args], {
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: inject('databaseUrl') ?? '' },
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
});
