import { randomUUID } from 'node:crypto';
import type { Redis } from './redis.js';

export interface CacheStats {
  hits: number;
  misses: number;
  sets: number;
  invalidated: number;
  /** hits / (hits + misses); 0 before the first read. */
  hitRate: number;
}

/**
 * Application-data cache. Keys follow `servio:<area>:<ids…>` (build them with `redisKey`); values
 * are JSON. Redis when configured (shared by every instance), else an in-process map with the same
 * behaviour, TTLs included.
 */
export interface CacheService {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  /** The cached value, or `compute()`'s, stored for `ttlSeconds`. Concurrent misses of one key in this process compute once. */
  getOrSet<T>(key: string, ttlSeconds: number, compute: () => Promise<T>): Promise<T>;
  getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>>;
  setMany(entries: ReadonlyArray<readonly [string, unknown]>, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes every key matching a glob (`servio:menu:r1:*`), with SCAN, never KEYS; returns how many. */
  invalidate(pattern: string): Promise<number>;
  /**
   * A value stored with `setVersioned`, if `versionKey` still holds the version it was stored under
   * (one round trip; counted as one hit or miss). `version` is the current one, to store a fresh value with.
   */
  getVersioned<T>(key: string, versionKey: string): Promise<{ value: T | undefined; version: string | null }>;
  setVersioned(key: string, value: unknown, version: string | null, ttlSeconds: number): Promise<void>;
  /**
   * Gives each version key a new version, so every value stored under an older one is dead at once, on every
   * instance, even one computed from data read before the change (it carries the older version).
   */
  bumpVersions(versionKeys: readonly string[], ttlSeconds: number): Promise<void>;
  stats(): CacheStats;
  ping(): Promise<void>;
}

interface Store {
  getMany(keys: readonly string[]): Promise<Array<string | null>>;
  setMany(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds: number): Promise<void>;
  /** Like setMany, but a failure is always thrown: a lost version bump would let stale values live. */
  setVersions(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds: number): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  scan(pattern: string): AsyncIterable<string[]>;
  ping(): Promise<void>;
}

export function createCacheService(redis: Redis | null): CacheService {
  const store = redis ? redisStore(redis) : memoryStore();
  const counters = { hits: 0, misses: 0, sets: 0, invalidated: 0 };
  const inFlight = new Map<string, Promise<unknown>>();

  const service: CacheService = {
    async get<T>(key: string) {
      return (await service.getMany<T>([key]))[0];
    },
    async getMany<T>(keys: readonly string[]) {
      if (keys.length === 0) return [];
      const raw = await store.getMany(keys);
      return raw.map((value) => {
        if (value === null) {
          counters.misses++;
          return undefined;
        }
        counters.hits++;
        return JSON.parse(value) as T;
      });
    },
    async set(key, value, ttlSeconds) {
      await service.setMany([[key, value]], ttlSeconds);
    },
    async setMany(entries, ttlSeconds) {
      if (entries.length === 0) return;
      await store.setMany(
        entries.map(([key, value]) => [key, JSON.stringify(value)] as const),
        ttlSeconds,
      );
      counters.sets += entries.length;
    },
    async getOrSet<T>(key: string, ttlSeconds: number, compute: () => Promise<T>) {
      const cached = await service.get<T>(key);
      if (cached !== undefined) return cached;
      const pending = inFlight.get(key) as Promise<T> | undefined;
      if (pending) return pending;
      const computing = (async () => {
        try {
          const value = await compute();
          await service.set(key, value, ttlSeconds);
          return value;
        } finally {
          inFlight.delete(key);
        }
      })();
      inFlight.set(key, computing);
      return computing;
    },
    async delete(key) {
      await store.delete([key]);
    },
    async invalidate(pattern) {
      let count = 0;
      for await (const keys of store.scan(pattern)) {
        if (keys.length === 0) continue;
        await store.delete(keys);
        count += keys.length;
      }
      counters.invalidated += count;
      return count;
    },
    async getVersioned<T>(key: string, versionKey: string) {
      const [version, stored] = await store.getMany([versionKey, key]);
      const current = version == null ? null : (JSON.parse(version) as string);
      const entry = stored == null ? undefined : (JSON.parse(stored) as { version: string | null; value: T });
      const fresh = entry !== undefined && entry.version === current;
      counters[fresh ? 'hits' : 'misses']++;
      return { value: fresh ? entry.value : undefined, version: current };
    },
    async setVersioned(key, value, version, ttlSeconds) {
      await service.set(key, { version, value }, ttlSeconds);
    },
    async bumpVersions(versionKeys, ttlSeconds) {
      await store.setVersions(
        versionKeys.map((versionKey) => [versionKey, JSON.stringify(randomUUID())] as const),
        ttlSeconds,
      );
    },
    stats() {
      const reads = counters.hits + counters.misses;
      return { ...counters, hitRate: reads === 0 ? 0 : counters.hits / reads };
    },
    ping: () => store.ping(),
  };
  return service;
}

function redisStore(redis: Redis): Store {
  // ioredis prefixes the keys of commands but not SCAN's pattern nor the keys SCAN returns.
  const prefix = redis.options.keyPrefix ?? '';
  return {
    // Redis is an optimisation: while it is down, reads miss and writes are skipped, within the
    // client's command time-out (infra/redis.ts); deletes still fail, so an invalidation is not lost silently.
    async getMany(keys) {
      return redis.mget(...keys).catch(() => keys.map(() => null));
    },
    async setMany(entries, ttlSeconds) {
      const pipeline = redis.multi();
      for (const [key, value] of entries) pipeline.set(key, value, 'EX', ttlSeconds);
      await pipeline.exec().catch(() => undefined);
    },
    async setVersions(entries, ttlSeconds) {
      const pipeline = redis.multi();
      for (const [key, value] of entries) pipeline.set(key, value, 'EX', ttlSeconds);
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error)?.[0];
      if (failed) throw failed;
    },
    async delete(keys) {
      await redis.unlink(...keys);
    },
    async *scan(pattern) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}${pattern}`, 'COUNT', 500);
        cursor = next;
        yield keys.map((key) => key.slice(prefix.length));
      } while (cursor !== '0');
    },
    async ping() {
      await redis.ping();
    },
  };
}

function memoryStore(): Store {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) entries.delete(key);
    return entries.get(key);
  };
  return {
    async getMany(keys) {
      return keys.map((key) => live(key)?.value ?? null);
    },
    async setMany(items, ttlSeconds) {
      for (const [key, value] of items) entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
    },
    // In process, a write cannot fail.
    async setVersions(items, ttlSeconds) {
      await this.setMany(items, ttlSeconds);
    },
    async delete(keys) {
      for (const key of keys) entries.delete(key);
    },
    async *scan(pattern) {
      const matcher = globToRegExp(pattern);
      yield [...entries.keys()].filter((key) => live(key) && matcher.test(key));
    },
    async ping() {},
  };
}

/** Redis glob (`*`, `?`, `[abc]`) as a regular expression. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[' || char === ']') source += char;
    else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
