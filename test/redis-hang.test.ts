import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { redisCommandTimeoutMs } from '../src/infra/redis.js';
import { redisBreakerPolicy } from '../src/infra/redis-breaker.js';
import { startPrivateRedis } from './testkit/private-redis.js';
import { scrape } from './testkit/prometheus.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { errorCode, readJson, startTestServer, type TestServer } from './testkit/test-server.js';
import { timedAnswers } from './testkit/timed-answers.js';

const menuQuery = 'query($slug: String!) { restaurant(slug: $slug) { name menu { name items { id price { amount } } } } }';
const ordersQuery = 'query($r: ID!) { orders(restaurantId: $r, first: 5) { totalCount } }';
const createOrder = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id status } }';
/**
 * Once the breaker is open an answer waits for no Redis command, except the one that carries the
 * breaker's probe: less than two command time-outs, where without the breaker each of an answer's
 * several Redis commands waits one out.
 */
const cutOffBoundMs = 2 * redisCommandTimeoutMs;
/** Any answer, also one that was waiting on Redis when it stopped: never near the length of the hang. */
const hangBoundMs = 2_000;

const redis = await startPrivateRedis();
if ('skipped' in redis) console.warn(`redis-hang.test.ts skipped: ${redis.skipped}`);
// Also when an assertion fails while it hangs: a stopped redis-server is continued, then killed.
afterAll(() => {
  if ('skipped' in redis) return;
  redis.resume();
  return redis.stop();
});

/** `hanging`: Redis is stopped but the breaker is not open yet; `cut off`: it is (open or probing). */
type Phase = 'before' | 'hanging' | 'cut off' | 'recovering' | 'after';

describe.skipIf('skipped' in redis)('Redis hangs with its connection open during traffic', () => {
  if ('skipped' in redis) return;
  let server: TestServer;
  afterAll(async () => {
    redis.resume();
    await server?.close();
  });

  it('opens the breaker, answers at once while it hangs, and closes it when Redis answers again', async () => {
    server = await startTestServer({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'hang:' });
    const prisma = server.infra.db.prisma;
    const built = await aRestaurant(prisma)
      .withStock('Flour', 10_000)
      .withCategory('Mains', 2, { recipe: [['Flour', 0.1]] })
      .build();
    const user = await aUser(prisma).memberOf(built.restaurant.id, 'STAFF').build();
    const headers = await server.loginAs(user.email);
    const menuItemId = built.categories[0]?.items[0]?.id as string;
    const slug = built.restaurant.slug;
    const restaurantId = built.restaurant.id;
    const metric = async (name: string, labels: Record<string, string> = {}) => (await scrape(server))(name, labels);

    const { answers, enter, timed, count, latencies } = timedAnswers<'menu' | 'orders' | 'order', Phase>('before');
    let running = true;
    const traffic = async () => {
      while (running) {
        await timed('menu', () => server.graphql(menuQuery, { slug }));
        await timed('orders', () => server.graphql(ordersQuery, { r: restaurantId }, headers));
        await timed('order', () =>
          server.graphql(
            createOrder,
            { input: { restaurantId, idempotencyKey: `hang-${Math.random()}`, items: [{ menuItemId, quantity: 1 }] } },
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

    await expect.poll(() => count('before'), { timeout: 30_000 }).toBeGreaterThanOrEqual(12);
    expect(await metric('servio_redis_breaker_state')).toBe(0);

    redis.pause();
    const stoppedAt = performance.now();
    enter('hanging');
    await expect.poll(() => metric('servio_redis_breaker_state'), { timeout: 10_000, interval: 20 }).toBe(2);
    const openedAfterMs = performance.now() - stoppedAt;
    enter('cut off');
    // Long enough for the breaker to let probes through and open again, while answers keep coming.
    await expect
      .poll(() => metric('servio_redis_breaker_transitions_total', { state: 'half_open' }), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(2);
    await expect.poll(() => count('cut off'), { timeout: 30_000 }).toBeGreaterThanOrEqual(30);

    const readyStarted = performance.now();
    const ready = await fetch(`${server.url}/health/ready`);
    const readyMs = performance.now() - readyStarted;
    const readiness = await readJson(ready);
    expect(ready.status).toBe(200);
    expect(readiness.status).toBe('degraded');
    expect(readiness.failing).toEqual(expect.arrayContaining(['cache', 'redis']));
    expect(readiness.failing).not.toContain('database');
    expect(readyMs).toBeLessThan(cutOffBoundMs);

    redis.resume();
    enter('recovering');
    await expect.poll(() => metric('servio_redis_breaker_state'), { timeout: 30_000 }).toBe(0);
    enter('after');
    await expect.poll(() => count('after'), { timeout: 30_000 }).toBeGreaterThanOrEqual(12);
    running = false;
    await Promise.all(clients);

    const summary = (phase: Phase) => {
      const sorted = latencies(phase).sort((a, b) => a - b);
      const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
      return `${phase}: ${sorted.length} answers, median ${median.toFixed(0)} ms, max ${Math.max(...sorted).toFixed(0)} ms`;
    };
    const phases = ['before', 'hanging', 'cut off', 'recovering', 'after'] as const;
    console.info(
      `redis-hang: breaker open ${openedAfterMs.toFixed(0)} ms after SIGSTOP; /health/ready ${readyMs.toFixed(0)} ms; ${phases.map(summary).join('; ')}`,
    );

    // Every answer is a success, before, while it hangs and after; none is a server error.
    const failures = answers.filter((answer) => answer.status !== 200 || answer.body.errors);
    expect(failures.map((failure) => [failure.kind, failure.during, failure.status, errorCode(failure.body)])).toEqual([]);
    // Until the breaker opens an answer waits out its Redis commands' time-outs, never the hang itself;
    // a few time-outs open it, and from then on no answer waits out more than the probe's one.
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(hangBoundMs);
    expect(openedAfterMs).toBeLessThan(redisBreakerPolicy.windowMs + 2 * redisCommandTimeoutMs);
    expect(Math.max(...latencies('cut off'))).toBeLessThan(cutOffBoundMs);

    // Every order the client was told about is in PostgreSQL, those made while Redis hung included.
    const acknowledged = answers.filter((answer) => answer.kind === 'order').map((answer) => answer.body.data.createOrder.id as string);
    expect(await prisma.order.count({ where: { id: { in: acknowledged } } })).toBe(acknowledged.length);
    expect(answers.filter((answer) => answer.kind === 'order' && answer.during === 'cut off').length).toBeGreaterThan(0);

    // Recovered without a restart: the breaker closed (and says so), the response cache hits again.
    expect(await metric('servio_redis_breaker_transitions_total', { state: 'closed' })).toBeGreaterThanOrEqual(1);
    expect((await readJson(await fetch(`${server.url}/health/ready`))).status).toBe('ok');
    await server.graphql(menuQuery, { slug });
    expect((await server.graphql(menuQuery, { slug })).headers.get('x-cache')).toBe('HIT');
  }, 180_000);
});
