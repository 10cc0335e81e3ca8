import { Redis } from 'ioredis';
import type { Config } from '../config.js';

export type { Redis };

/** Every Redis key the server writes is named here: `servio:<purpose>:<ids…>`. */
export function redisKey(purpose: string, ...ids: Array<string | number>): string {
  return ['servio', purpose, ...ids].join(':');
}

/** A client for REDIS_URL, or null for the in-process default. Fails fast instead of queueing forever. */
export function createRedisClient(config: Config['redis']): Redis | null {
  if (config.kind === 'memory') return null;
  return new Redis(config.url, {
    keyPrefix: config.keyPrefix,
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 2_000,
  });
}
