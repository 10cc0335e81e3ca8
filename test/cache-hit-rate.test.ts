import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../load-test/demo-server.js';
import { hitRateTarget, runMixedReads } from '../load-test/mixed-reads-workload.js';
import { scrape } from './testkit/prometheus.js';

// The load test's own workload (npm run load:mixed), bounded. The demo data has fixed slugs and
// emails, so the server gets a private embedded database; with TEST_REDIS_URL its response cache
// is the run's Redis (under its own key prefix), which is what this measures.
describe('response-cache hit rate under the mixed read workload', () => {
  const redisUrl = inject('redisUrl');
  let server: DemoServer;
  beforeAll(async () => {
    server = await startDemoServer({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `${inject('redisKeyPrefix')}cache-hit-rate:` } : {}),
    });
  });
  afterAll(() => server?.close());

  it(`serves more than ${hitRateTarget * 100} % of the demo reads from the cache, and none fails`, async () => {
    expect(server.infra.cache.kind).toBe(redisUrl ? 'redis' : 'memory');

    const result = await runMixedReads(server.url, { amount: 400, connections: 8 });

    expect(result).toMatchObject({ requests: 400, failed: 0, errors: 0 });
    expect(result.hits + result.misses).toBe(400);
    expect(result.hitRate).toBeGreaterThan(hitRateTarget);
    // The server counted what the x-cache headers said, plus one miss: the workload's look-up of
    // the demo restaurant's id before the run.
    const metrics = await scrape(server);
    expect(metrics('servio_cache_responses_total', { result: 'hit' })).toBe(result.hits);
    expect(metrics('servio_cache_responses_total', { result: 'miss' })).toBe(result.misses + 1);
  });
});
