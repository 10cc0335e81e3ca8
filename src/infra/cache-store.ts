import { EventEmitter } from 'node:events';
import { Keyv, type KeyvStoreAdapter, type StoredData } from 'keyv';
import { type Redis, redisKey } from './redis.js';

/**
 * The shared key-value cache: Redis through Keyv, or an in-process Map when there is no Redis.
 * Like every Redis use it degrades: while Redis is down or slow, reads miss and writes are dropped
 * (reported on Keyv's 'error' event) within the Redis command time-out, or at once while the Redis
 * breaker is open.
 */
export interface CacheStore {
  readonly kind: 'redis' | 'memory';
  readonly keyv: Keyv;
  ping(): Promise<void>;
}

export function createCacheStore(redis: Redis | null): CacheStore {
  const namespace = redisKey('cache');
  const keyv = new Keyv({ store: redis ? new RedisKeyvStore(redis) : new Map(), namespace });
  return {
    kind: redis ? 'redis' : 'memory',
    keyv,
    async ping() {
      // A write and a read, so "answers" means the store works, not only that a socket is open.
      await keyv.set('health', Date.now(), 10_000);
      if ((await keyv.get('health')) === undefined) throw new Error('cache store did not return what was just written');
    },
  };
}

/**
 * Keyv's store on the main ioredis client, so the cache has its reply time-out and breaker. Not
 * @keyv/redis: its node-redis client times a command out only until it is written
 * (redis/node-redis#3008), so a Redis that hung held every cache read until it answered again.
 * A failure is emitted as an 'error' (infra.ts logs it) and read as a miss, or a write not made.
 */
class RedisKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  opts = {};
  /** Set by Keyv: the prefix of every key it passes (`servio:cache`). */
  namespace: string | undefined;
  // ioredis prefixes the keys of commands but not SCAN's pattern nor the keys SCAN returns.
  readonly #prefix: string;

  constructor(private readonly redis: Redis) {
    super();
    this.#prefix = redis.options.keyPrefix ?? '';
  }

  get<Value>(key: string): Promise<StoredData<Value>> {
    return this.redis.get(key).then((value) => (value ?? undefined) as StoredData<Value>, this.#failed(undefined));
  }

  getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    return this.redis
      .mget(...keys)
      .then((values) => values.map((value) => (value ?? undefined) as StoredData<Value>), this.#failed(keys.map(() => undefined)));
  }

  set(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const written = ttlMs ? this.redis.set(key, value, 'PX', ttlMs) : this.redis.set(key, value);
    return written.then(() => true, this.#failed(false));
  }

  delete(key: string): Promise<boolean> {
    return this.redis.unlink(key).then((count) => count > 0, this.#failed(false));
  }

  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.#prefix}${this.namespace}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await this.redis.unlink(...keys.map((key) => key.slice(this.#prefix.length)));
    } while (cursor !== '0');
  }

  #failed<T>(fallback: T) {
    return (error: unknown): T => {
      this.emit('error', error);
      return fallback;
    };
  }
}
