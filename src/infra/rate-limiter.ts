import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { type IRateLimiterStoreOptions, type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Redis } from './redis.js';

/**
 * Counts in Redis, so every instance spends one budget; while Redis is down or slow it counts in
 * this process instead (rate-limiter-flexible's insurance limiter), so limits still hold, per
 * instance, and no request waits for Redis.
 */
export class RedisRateLimiterWithFallback extends RateLimiterRedis {
  constructor(options: IRateLimiterStoreOptions) {
    super({
      ...options,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: options.points, duration: options.duration, keyPrefix: options.keyPrefix }),
    });
  }
}

/** One limiter of `points` per `durationSeconds`: Redis with the in-process fallback, or in-process only. */
export function createRateLimiter(
  redis: Redis | null,
  options: { points: number; durationSeconds: number; keyPrefix: string },
): RateLimiterAbstract {
  const { points, durationSeconds: duration, keyPrefix } = options;
  return redis
    ? new RedisRateLimiterWithFallback({ storeClient: redis, points, duration, keyPrefix })
    : new RateLimiterMemory({ points, duration, keyPrefix });
}

/** An @fastify/rate-limit store that counts with `limiter` (the plugin compares the count with its `max`). */
export function rateLimitStoreOf(limiter: RateLimiterAbstract): FastifyRateLimitStoreCtor {
  class LimiterStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void) {
      // penalty() counts without refusing: the plugin decides, with its own headers and error.
      limiter.penalty(key, 1).then(
        (result) => callback(null, { current: result.consumedPoints, ttl: result.msBeforeNext }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }
    child() {
      return this;
    }
  }
  return LimiterStore;
}
