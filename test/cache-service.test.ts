import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createCacheService } from '../src/infra/cache-service.js';
import { redisKey } from '../src/infra/redis.js';
import { needs } from './testkit/needs.js';

const redisUrl = inject('redisUrl');
const clients: Redis[] = [];
afterAll(() => Promise.all(clients.map((client) => client.quit())));

/**
 * The same contract for both implementations; the Redis one gets a key prefix of its own. Both are
 * always listed, so a run without Redis reports its tests as skipped (with the reason), not as absent.
 */
const implementations = [
  ['in-process', () => createCacheService(null)] as const,
  [
    'Redis',
    () => {
      const client = new Redis(redisUrl ?? '', { keyPrefix: `${inject('redisKeyPrefix')}cache-${randomBytes(3).toString('hex')}:` });
      clients.push(client);
      return createCacheService(client);
    },
  ] as const,
];

describe.each(implementations)('CacheService (%s)', (name, create) => {
  beforeEach((ctx) => {
    if (name === 'Redis') needs(ctx, 'redis');
  });
  it('gets what it set, as JSON, until the TTL runs out', async () => {
    const cache = create();
    await cache.set(redisKey('menu', 'r1'), { items: [1, 2], price: 1250 }, 1);

    expect(await cache.get(redisKey('menu', 'r1'))).toEqual({ items: [1, 2], price: 1250 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await cache.get(redisKey('menu', 'r1'))).toBeUndefined();
  });

  it('reads and writes in batches, in key order', async () => {
    const cache = create();
    await cache.setMany(
      [
        ['servio:settings:a', 1],
        ['servio:settings:c', 3],
      ],
      60,
    );

    expect(await cache.getMany(['servio:settings:a', 'servio:settings:b', 'servio:settings:c'])).toEqual([1, undefined, 3]);
  });

  it('computes a missing value once for concurrent callers', async () => {
    const cache = create();
    let computations = 0;
    const compute = async () => {
      computations++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { total: 42 };
    };

    const results = await Promise.all(Array.from({ length: 10 }, () => cache.getOrSet('servio:analytics:r1', 60, compute)));

    expect(results).toEqual(Array.from({ length: 10 }, () => ({ total: 42 })));
    expect(computations).toBe(1);
    expect(await cache.getOrSet('servio:analytics:r1', 60, compute)).toEqual({ total: 42 });
    expect(computations).toBe(1);
  });

  it('invalidates by pattern, leaving other keys alone, and counts hits and misses', async () => {
    const cache = create();
    await cache.setMany(
      [
        ['servio:menu:r1:items', 1],
        ['servio:menu:r1:categories', 2],
        ['servio:menu:r2:items', 3],
      ],
      60,
    );

    expect(await cache.invalidate('servio:menu:r1:*')).toBe(2);
    expect(await cache.getMany(['servio:menu:r1:items', 'servio:menu:r1:categories', 'servio:menu:r2:items'])).toEqual([
      undefined,
      undefined,
      3,
    ]);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2, sets: 3, invalidated: 2, hitRate: 1 / 3 });
    await expect(cache.ping()).resolves.toBeUndefined();
  });
});
