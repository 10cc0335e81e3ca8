import { type Redis, redisKey } from '../../infra/redis.js';

/** The generation every operation folds in when it is not about one restaurant. */
export const anyRestaurant = 'all';

/**
 * Generation counters folded into response-cache keys: bumping one makes every cached response that
 * depends on it unreachable at once (on every instance, through Redis), without scanning the cache.
 * Keys: `servio:cache-generation:<restaurant id | slug:<slug> | all>`.
 */
export interface CacheGenerations {
  read(scopes: readonly string[]): Promise<number[]>;
  bump(scopes: readonly string[]): Promise<void>;
}

export function createCacheGenerations(redis: Redis | null): CacheGenerations {
  const key = (scope: string) => redisKey('cache-generation', scope);
  if (redis) {
    return {
      async read(scopes) {
        if (scopes.length === 0) return [];
        return (await redis.mget(...scopes.map(key))).map((value) => Number(value ?? 0));
      },
      async bump(scopes) {
        const pipeline = redis.multi();
        for (const scope of scopes) pipeline.incr(key(scope));
        await pipeline.exec();
      },
    };
  }
  const counters = new Map<string, number>();
  return {
    async read(scopes) {
      return scopes.map((scope) => counters.get(scope) ?? 0);
    },
    async bump(scopes) {
      for (const scope of scopes) counters.set(scope, (counters.get(scope) ?? 0) + 1);
    },
  };
}
