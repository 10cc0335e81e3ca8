import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './testkit/free-port.js';
import { exitCode, startMain, waitUntilReady } from './testkit/main-process.js';
import { readJson } from './testkit/test-server.js';

async function demoRestaurantId(base: string): Promise<string | undefined> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ restaurant(slug: "demo-bistro") { id menu { items { id } } } }' }),
  });
  const body = await readJson(response);
  expect(body.data.restaurant.menu.flatMap((category: { items: unknown[] }) => category.items).length).toBeGreaterThanOrEqual(35);
  return body.data.restaurant.id;
}

describe('npm start (src/main.ts)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'servio-main-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('refuses to start in production without its required settings, one line per problem', async () => {
    const { child, output } = startMain({ NODE_ENV: 'production' });

    expect(await exitCode(child)).toBe(1);
    expect(output()).toContain('DATABASE_URL: is required when NODE_ENV=production');
    expect(output()).toContain('REDIS_URL: is required when NODE_ENV=production');
    expect(output()).toContain('JWT_SECRET: is required when NODE_ENV=production');
    expect(output()).not.toMatch(/\n\s+at /);
  });

  it('migrates and seeds an empty embedded database, finishes in-flight requests on SIGTERM, and keeps the data across restarts', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), HOST: '127.0.0.1', EMBEDDED_DATA_DIR: join(dataDir, 'pglite') };

    const first = startMain(env);
    await waitUntilReady(base, first.child);
    expect(first.output()).toContain('migrations applied');
    expect(first.output()).toContain('demo data seeded');
    expect(first.output()).toContain(`Servio API ready: http://localhost:${port}/graphql`);
    // PGlite writes its files world-writable; the folder it made is the owner's alone.
    expect((await stat(join(dataDir, 'pglite'))).mode & 0o777).toBe(0o700);
    const restaurantId = await demoRestaurantId(base);
    // Without JWT_SECRET, development keeps its secret under .data/: a token outlives a restart.
    const signIn = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { login(email: "staff@demo-bistro.test", password: "servio-demo") { accessToken } }' }),
    });
    const token = (await readJson(signIn)).data.login.accessToken as string;

    // A request whose body is still arriving when SIGTERM lands must still be answered.
    const body = JSON.stringify({ query: '{ apiVersion }' });
    const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${base}/graphql`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } },
        (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 5));
      setTimeout(() => {
        first.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(5)), 300);
      }, 300);
    });
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.text).data.apiVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(await exitCode(first.child)).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');

    const second = startMain(env);
    try {
      await waitUntilReady(base, second.child);
      expect(second.output()).toContain('database schema up to date');
      expect(second.output()).not.toContain('demo data seeded');
      expect(await demoRestaurantId(base)).toBe(restaurantId);
      const me = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ me { email } }' }),
      });
      expect((await readJson(me)).data?.me.email).toBe('staff@demo-bistro.test');
    } finally {
      second.child.kill('SIGINT');
      expect(await exitCode(second.child)).toBe(0);
    }
  }, 120_000);
});
