import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/infra/db.js';
import { applyPendingMigrations } from '../src/infra/migrations/migrator.js';
import { freePort, waitFor } from './testkit/free-port.js';
import { connectGraphqlWs } from './testkit/graphql-ws-client.js';
import { exitCode, startMain, waitUntilReady } from './testkit/main-process.js';
import { needs } from './testkit/needs.js';
import { backendsHeldUp } from './testkit/row-lock.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type Json, testPassword } from './testkit/test-server.js';

const createOrder = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';

/** `npm start` (src/main.ts) on a free port with `env`, ready; `post` sends GraphQL, `signIn` returns bearer headers. */
async function startServer(env: Record<string, string>, options: { keepAlive: boolean } = { keepAlive: true }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startMain({
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    JWT_SECRET: 'shutdown-test-secret-long-enough-for-hs256-0123',
    SEED_ON_EMPTY: 'false',
  });
  await waitUntilReady(base, server.child, 150_000).catch((error: unknown) => {
    server.child.kill('SIGKILL');
    throw error;
  });
  const post = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}, signal?: AbortSignal) =>
    fetch(`${base}/graphql`, {
      method: 'POST',
      // Without keep-alive no idle socket is left open, so close() waits only for requests, not for idle time-outs.
      headers: { 'content-type': 'application/json', ...(options.keepAlive ? {} : { connection: 'close' }), ...headers },
      body: JSON.stringify({ query, variables }),
      ...(signal ? { signal } : {}),
    });
  const signIn = async (email: string) => {
    const login: Json = await (
      await post('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: email, p: testPassword })
    ).json();
    return { authorization: `Bearer ${login.data.login.accessToken}` };
  };
  return { base, server, post, signIn };
}

describe('SIGTERM under write load (src/main.ts)', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('drains HTTP, closes WebSockets with 1001, then closes the pool: no pool errors, every acknowledged order stored', async () => {
    // The run's PostgreSQL when there is one (its pool is what a careless shutdown breaks), else embedded.
    const databaseUrl = inject('databaseUrl');
    const dataDir = await mkdtemp(join(tmpdir(), 'servio-shutdown-'));
    dirs.push(dataDir);
    const dbEnv: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl, DB_POOL_MAX: '4' } : { EMBEDDED_DATA_DIR: dataDir };
    const openDatabase = () => createDatabase(loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), ...dbEnv }).database);

    const setup = await openDatabase();
    if (!databaseUrl) await applyPendingMigrations(setup.adapterFactory);
    const built = await aRestaurant(setup.prisma)
      .withStock('Flour', 100_000)
      .withCategory('Mains', 1, { recipe: [['Flour', 0.1]] })
      .build();
    const user = await aUser(setup.prisma).memberOf(built.restaurant.id, 'STAFF').build();
    await setup.close(); // embedded data can have one process at a time

    const { base, server, post, signIn } = await startServer({
      ...dbEnv,
      RATE_LIMIT_API: '100000/60',
      RATE_LIMIT_ANONYMOUS_HTTP: '100000/60',
    });
    const headers = await signIn(user.email);

    const ws = connectGraphqlWs({ url: base }, headers);
    const closed = new Promise<number>((resolve) => ws.on('closed', (event) => resolve((event as { code: number }).code)));
    ws.subscribe(
      { query: 'subscription($r: ID!) { orderUpdated(restaurantId: $r) { id } }', variables: { r: built.restaurant.id } },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );

    const acknowledged: string[] = [];
    const refusedWhileClosing: Array<{ status: number; connection: string | null }> = [];
    const failures: string[] = [];
    let stopped = false;
    // Writers on kept-alive connections (fetch reuses them) until the server stops accepting.
    const writer = async () => {
      // A kept-alive socket the server closes as the process exits can meet a request already on its way
      // (HTTP/1.1's keep-alive race): clients retry such a request once with the same idempotency key.
      let retrying: string | null = null;
      while (!stopped) {
        const idempotencyKey: string = retrying ?? `sigterm-${Math.random()}`;
        try {
          const response = await post(
            createOrder,
            {
              input: {
                restaurantId: built.restaurant.id,
                idempotencyKey,
                items: [{ menuItemId: built.categories[0]?.items[0]?.id, quantity: 1 }],
              },
            },
            headers,
          );
          retrying = null;
          if (response.status === 503) {
            refusedWhileClosing.push({ status: response.status, connection: response.headers.get('connection') });
            await response.arrayBuffer();
            continue;
          }
          const body: Json = await response.json();
          if (body.data?.createOrder?.id) acknowledged.push(body.data.createOrder.id);
          else failures.push(JSON.stringify(body.errors));
        } catch (error) {
          // Refused connections after the listener closed are expected; a reset kept-alive one is not.
          const code = (error as { cause?: { code?: string } }).cause?.code;
          if (code === 'ECONNREFUSED') return;
          if (!retrying && (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')) {
            retrying = idempotencyKey;
            continue;
          }
          failures.push(`${code ?? ''} ${String(error)}`);
          return;
        }
      }
    };
    const writers = Array.from({ length: 6 }, writer);
    await waitFor('orders before SIGTERM', async () => acknowledged.length >= 12, 60_000);
    server.child.kill('SIGTERM');
    expect(await exitCode(server.child), server.output().slice(-4000)).toBe(0);
    stopped = true;
    await Promise.all(writers);

    expect(await closed).toBe(1001);
    expect(failures).toEqual([]);
    for (const refusal of refusedWhileClosing) expect(refusal.connection).toBe('close');
    expect(server.output()).not.toMatch(/Cannot use a pool|Transaction not found|Transaction API error|pool after calling end/i);
    expect(server.output()).toContain('"msg":"stopped"');

    const check = await openDatabase();
    try {
      expect(await check.prisma.order.count({ where: { id: { in: acknowledged } } })).toBe(acknowledged.length);
    } finally {
      await check.close();
    }
  }, 300_000);
  it('waits for an operation whose client hung up before it closes the pool', async (ctx) => {
    needs(ctx, 'postgres');
    const databaseUrl = inject('databaseUrl') as string;
    const dbEnv = { DATABASE_URL: databaseUrl, DB_POOL_MAX: '4' };
    const setup = await createDatabase(loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), ...dbEnv }).database);
    const built = await aRestaurant(setup.prisma).withCategory('Mains', 1).build();
    const user = await aUser(setup.prisma).memberOf(built.restaurant.id, 'MANAGER').build();

    const { server, post, signIn } = await startServer(dbEnv, { keepAlive: false });
    const locker = new pg.Client({ connectionString: databaseUrl });
    await locker.connect();
    try {
      const headers = await signIn(user.email);
      const placed: Json = await (
        await post(
          createOrder,
          {
            input: {
              restaurantId: built.restaurant.id,
              idempotencyKey: `hang-up-${Math.random()}`,
              items: [{ menuItemId: built.categories[0]?.items[0]?.id, quantity: 1 }],
            },
          },
          headers,
        )
      ).json();
      const orderId: string = placed.data.createOrder.id;

      // Hold the order's row, so the status change waits inside the database; then its client hangs up.
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM "Order" WHERE id = $1 FOR UPDATE', [orderId]);
      const hangUp = new AbortController();
      const abandoned = post(
        'mutation($id: ID!) { updateOrderStatus(id: $id, status: CONFIRMED) { id } }',
        { id: orderId },
        headers,
        hangUp.signal,
      ).catch((error: unknown) => error);
      await expect.poll(() => backendsHeldUp(locker), { timeout: 30_000 }).toBe(1);
      hangUp.abort();
      expect(await abandoned).toBeInstanceOf(Error);

      server.child.kill('SIGTERM');
      await waitFor(
        'the server waits for the abandoned operation',
        async () => server.output().includes('waiting for operations whose client has gone'),
        30_000,
      );
      await locker.query('COMMIT');

      expect(await exitCode(server.child), server.output().slice(-4000)).toBe(0);
      expect(server.output()).not.toMatch(/Cannot use a pool|Transaction not found|Transaction API error|pool after calling end/i);
      expect((await setup.prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('CONFIRMED');
    } finally {
      await locker.end();
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      await setup.close();
    }
  }, 300_000);
});
