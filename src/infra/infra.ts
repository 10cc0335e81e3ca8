import type { Config } from '../config.js';
import { type CacheService, createCacheService } from './cache-service.js';
import { type CacheStore, createCacheStore } from './cache-store.js';
import { createDatabase, type Database } from './db.js';
import { createExternalServices, type ExternalServices } from './external-services.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { watchQueries } from './query-metrics.js';
import { connectRedis, createRedisClient, type Redis } from './redis.js';
import { createRedisBreaker } from './redis-breaker.js';
import { createErrorTracking, type ErrorTracking } from './sentry.js';

/**
 * The process's long-lived connections, built once (see runtime.ts) and passed down. Infrastructure
 * knows nothing of the domain: the event bus and alerts are built above it.
 */
export interface Infra {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly redis: Redis | null;
  readonly cache: CacheStore;
  /** Application-data cache (get-or-set, batches, pattern invalidation, hit statistics). */
  readonly cacheService: CacheService;
  readonly metrics: Metrics;
  /** Circuit breakers and call limits for the providers we call (OpenAI, Twilio). */
  readonly externalServices: ExternalServices;
  /** Sentry when SENTRY_DSN is set; its client is per process (see sentry.ts). */
  readonly errorTracking: ErrorTracking;
  close(): Promise<void>;
}

export async function createInfra(config: Config, logger: Logger): Promise<Infra> {
  const errorTracking = createErrorTracking(config.sentry, logger);
  const db = await createDatabase(config.database);
  const metrics = createMetrics(config.metrics, { logger, poolStats: () => db.poolStats() });
  const redisBreaker = createRedisBreaker({ metrics, logger });
  const redis = createRedisClient(config.redis, redisBreaker);
  redis?.on('error', (error) => logger.warn({ component: 'redis', err: error }, 'redis connection error'));
  // A Redis that is down at start-up must not crash-loop the server: readiness reports it instead.
  if (redis) await connectRedis(redis, (error) => logger.error({ component: 'redis', err: error }, 'redis unreachable at start-up'));
  const cache = createCacheStore(redis);
  cache.keyv.on('error', (error) => logger.warn({ component: 'cache', err: error }, 'cache store error'));
  const stopWatchingQueries = watchQueries(db, { metrics, logger, slowQueryMs: config.metrics.slowQueryMs });
  const cacheService = createCacheService(redis);
  metrics.gauge('cache_service.hit_ratio', () => cacheService.stats().hitRate);
  const externalServices = createExternalServices(config.circuitBreaker, { metrics, logger });
  return {
    config,
    logger,
    db,
    redis,
    cache,
    cacheService,
    metrics,
    externalServices,
    errorTracking,
    async close() {
      externalServices.shutdown();
      stopWatchingQueries();
      // A Redis that does not answer QUIT (it hangs, or the breaker refuses) is disconnected instead.
      const quitRedis = redis?.quit().catch(() => redis.disconnect());
      await Promise.allSettled([db.close(), quitRedis, metrics.close(), errorTracking.flush()]);
    },
  };
}
