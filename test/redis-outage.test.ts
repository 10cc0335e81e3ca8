import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { freePort, waitFor } from './testkit/free-port.js';
import { connectGraphqlWs } from './testkit/graphql-ws-client.js';
import { startPrivateRedis } from './testkit/private-redis.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { errorCode, type Json, readJson, startTestServer, type TestServer } from './testkit/test-server.js';
import { timedAnswers } from './testkit/timed-answers.js';

const menuQuery = 'query($slug: String!) { restaurant(slug: $slug) { name menu { name items { id price { amount } } } } }';
const createOrder = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id status } }';
/**
 * "Within the normal latency": no answer during the outage slower than the slowest before it by more
 * than a Redis command time-out's worth, and never near the 9.6 s an outage used to cost.
 */
const boundMs = 2_000;

const redis = await startPrivateRedis();
if ('skipped' in redis) console.warn(`redis-outage.test.ts skipped: ${redis.skipped}`);
afterAll(() => ('skipped' in redis ? undefined : redis.stop()));

/** `recovering`: Redis is back but this instance may not have reconnected yet. */
type Phase = 'before' | 'outage' | 'recovering' | 'after';

describe.skipIf('skipped' in redis)('Redis is an optimisation: killed and restarted during traffic', () => {
  if ('skipped' in redis) return;
  let server: TestServer;
  afterAll(() => server?.close());

  it('keeps answering within bounds, reports no committed write as failed, and recovers without a restart', async () => {
    server = await startTestServer({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'outage:' });
    const prisma = server.infra.db.prisma;
    const built = await aRestaurant(prisma)
      .withStock('Flour', 10_000)
      .withCategory('Mains', 2, { recipe: [['Flour', 0.1]] })
      .build();
    const user = await aUser(prisma).memberOf(built.restaurant.id, 'STAFF').build();
    const headers = await server.loginAs(user.email);
    const menuItemId = built.categories[0]?.items[0]?.id as string;
    const slug = built.restaurant.slug;

    // Cached before the outage.
    await server.graphql(menuQuery, { slug });
    expect((await server.graphql(menuQuery, { slug })).headers.get('x-cache')).toBe('HIT');

    // A subscriber on this instance keeps hearing about orders while pub/sub is down.
    const ws = connectGraphqlWs(server, headers);
    const heard = new Set<string>();
    const subscriptionErrors: unknown[] = [];
    const unsubscribe = ws.subscribe<Json>(
      { query: 'subscription($r: ID!) { orderUpdated(restaurantId: $r) { id } }', variables: { r: built.restaurant.id } },
      {
        next: (message) => (message.data ? heard.add(message.data.orderUpdated.id) : subscriptionErrors.push(message.errors)),
        error: (error) => subscriptionErrors.push(error),
        complete: () => undefined,
      },
    );

    const { answers, enter, timed, count, latencies } = timedAnswers<'menu' | 'version' | 'order', Phase>('before');
    let running = true;
    const traffic = async () => {
      while (running) {
        await timed('menu', () => server.graphql(menuQuery, { slug }));
        await timed('version', () => server.graphql('{ apiVersion }'));
        await timed('order', () =>
          server.graphql(
            createOrder,
            {
              input: { restaurantId: built.restaurant.id, idempotencyKey: `outage-${Math.random()}`, items: [{ menuItemId, quantity: 1 }] },
            },
            headers,
          ),
        );
      }
    };
    const clients = [traffic(), traffic()];
    // Also when an assertion fails midway: no request may outlive the server.
    onTestFinished(async () => {
      running = false;
      await Promise.all(clients);
    });

    await waitFor('traffic before the outage', async () => count('before') >= 6, 30_000);
    await redis.kill();
    // "Known to be down" from here on: what was sent before the client noticed may take its time-out.
    await waitFor('the client to notice', async () => server.infra.redis?.status !== 'ready');
    enter('outage');
    await waitFor('traffic during the outage', async () => count('outage') >= 15, 30_000);

    const ready = await fetch(`${server.url}/health/ready`);
    const readiness = await readJson(ready);
    expect(ready.status).toBe(200);
    expect(readiness.status).toBe('degraded');
    expect(readiness.failing).toEqual(expect.arrayContaining(['redis']));
    expect(readiness.failing).not.toContain('database');

    enter('recovering');
    await redis.start();
    await waitFor(
      'readiness without degradation',
      async () => (await readJson(await fetch(`${server.url}/health/ready`))).status === 'ok',
      30_000,
    );
    enter('after');
    await waitFor('traffic after the outage', async () => count('after') >= 6, 30_000);
    running = false;
    await Promise.all(clients);
    unsubscribe();
    await ws.dispose();

    // Every answer is a success, within bounds, before, during and after.
    const failures = answers.filter((answer) => answer.status !== 200 || answer.body.errors);
    expect(failures.map((failure) => [failure.kind, failure.during, failure.status, errorCode(failure.body)])).toEqual([]);
    const slowest = (phase: Phase) => Math.max(...latencies(phase));
    expect(slowest('outage')).toBeLessThan(Math.max(boundMs, 2 * slowest('before')));

    // Every order the client was told about is in PostgreSQL; those made during the outage were heard.
    const acknowledged = answers.filter((answer) => answer.kind === 'order').map((answer) => answer.body.data.createOrder.id as string);
    expect(await prisma.order.count({ where: { id: { in: acknowledged } } })).toBe(acknowledged.length);
    const madeDuringOutage = answers.filter((answer) => answer.kind === 'order' && answer.during === 'outage');
    expect(madeDuringOutage.length).toBeGreaterThan(0);
    expect(subscriptionErrors).toEqual([]);
    // Local delivery while pub/sub is down. Known gap (see README): one event per outage can be lost
    // around the kill, so this asserts delivery, not every event.
    const heardDuringOutage = madeDuringOutage.filter((answer) => heard.has(answer.body.data.createOrder.id));
    expect(heardDuringOutage.length).toBeGreaterThanOrEqual(madeDuringOutage.length - 1);

    // The response cache works again without a restart.
    await server.graphql(menuQuery, { slug });
    expect((await server.graphql(menuQuery, { slug })).headers.get('x-cache')).toBe('HIT');
  }, 180_000);
});

describe('with Redis unreachable from the start', () => {
  it('limits per process instead: anonymous HTTP and @rateLimit tiers still refuse, at once', async () => {
    const server = await startTestServer({
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      RATE_LIMIT_ANONYMOUS_HTTP: '3/60',
      RATE_LIMIT_AUTH: '2/60',
    });
    try {
      const fromIp = (ip: string) => ({ 'x-forwarded-for': ip });
      const started = performance.now();
      const anonymous = [];
      for (let i = 0; i < 4; i++) anonymous.push(await server.graphql('{ apiVersion }', {}, fromIp('2001:db8::a')));
      expect(anonymous.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
      expect(errorCode(anonymous[3]?.body)).toBe('RATE_LIMITED');

      const login = 'mutation { login(email: "nobody@example.com", password: "wrong password") { accessToken } }';
      const attempts = [];
      for (let i = 0; i < 3; i++) attempts.push(errorCode((await server.graphql(login, {}, fromIp('2001:db8::b'))).body));
      expect(attempts).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
      expect(performance.now() - started).toBeLessThan(7 * boundMs);
    } finally {
      await server.close();
    }
  }, 60_000);
});
