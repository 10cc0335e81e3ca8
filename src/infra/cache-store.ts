import { createKeyv } from '@keyv/redis';
import { Keyv } from 'keyv';
import type { Config } from '../config.js';
import { redisKey } from './redis.js';

/** The shared key-value cache: Redis through Keyv, or an in-process Map when there is no Redis. */
export interface CacheStore {
  readonly kind: 'redis' | 'memory';
  readonly keyv: Keyv;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createCacheStore(config: Config['redis']): CacheStore {
  const namespace = `${config.kind === 'redis' ? config.keyPrefix : ''}${redisKey('cache')}`;
  const keyv =
    config.kind === 'redis' ? createKeyv(config.url, { namespace, keyPrefixSeparator: ':' }) : new Keyv({ store: new Map(), namespace });
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
