import { createClient, createKeyv } from '@keyv/redis';
import { Keyv } from 'keyv';
import type { Config } from '../config.js';
import { redisCommandTimeoutMs, redisConnectTimeoutMs, redisKey, redisReconnectDelayMs } from './redis.js';

/**
 * The shared key-value cache: Redis through Keyv, or an in-process Map when there is no Redis.
 * Like every Redis use it degrades: while Redis is down or slow, reads miss and writes are dropped
 * (Keyv reports them on its 'error' event) within the Redis command time-out.
 */
export interface CacheStore {
  readonly kind: 'redis' | 'memory';
  readonly keyv: Keyv;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createCacheStore(config: Config['redis']): CacheStore {
  const namespace = `${config.kind === 'redis' ? config.keyPrefix : ''}${redisKey('cache')}`;
  const keyv = config.kind === 'redis' ? createRedisKeyv(config.url, namespace) : new Keyv({ store: new Map(), namespace });
  return {
    kind: config.kind,
    keyv,
    async ping() {
      // A write and a read, so "answers" means the store works, not only that a socket is open.
      await keyv.set('health', Date.now(), 10_000);
      if ((await keyv.get('health')) === undefined) throw new Error('cache store did not return what was just written');
    },
    async close() {
      await keyv.disconnect();
    },
  };
}

/**
 * Keyv on its own node-redis client, connected now and reconnecting forever, so a command never
 * waits for a connection: while Redis is down it fails at once (no offline queue).
 */
function createRedisKeyv(url: string, namespace: string): Keyv {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: redisCommandTimeoutMs },
    socket: { connectTimeout: redisConnectTimeoutMs, reconnectStrategy: redisReconnectDelayMs },
  });
  const keyv = createKeyv(client, { namespace, keyPrefixSeparator: ':', throwOnConnectError: false });
  // Errors reach keyv's 'error' event (see infra.ts), the first connection's too.
  client.connect().catch(() => undefined);
  return keyv;
}
