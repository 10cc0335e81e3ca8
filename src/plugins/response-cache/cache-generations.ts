import { createSubscriberClient, type Redis, redisKey } from '../../infra/redis.js';

/** The generation every operation folds in when it is not about one restaurant. */
export const anyRestaurant = 'all';

/**
 * Generation counters folded into response-cache keys: bumping one makes every cached response that
 * depends on it unreachable at once (on every instance, through Redis), without scanning the cache.
 * Keys: `servio:cache-generation:<restaurant id | slug:<slug> | all>`. Each bump is also published, so
 * every instance's in-process tier drops what depends on it (`onBump`); after a lost subscription the
 * listeners hear `null` (everything changed).
 */
export interface CacheGenerations {
  read(scopes: readonly string[]): Promise<number[]>;
  bump(scopes: readonly string[]): Promise<void>;
  onBump(listener: (scopes: readonly string[] | null) => void): void;
  close(): Promise<void>;
}

export function createCacheGenerations(redis: Redis | null, onError: (error: unknown) => void = () => undefined): CacheGenerations {
  const listeners: Array<(scopes: readonly string[] | null) => void> = [];
  const notify = (scopes: readonly string[] | null) => {
    for (const listener of listeners) listener(scopes);
  };
  const key = (scope: string) => redisKey('cache-generation', scope);
  if (redis) {
    // ioredis's keyPrefix does not apply to channels: add it, so separate deployments stay apart.
    const channel = `${redis.options.keyPrefix ?? ''}${redisKey('cache-generation')}`;
    const subscriber = createSubscriberClient(redis);
    subscriber.on('error', onError);
    subscriber.on('message', (_channel: string, message: string) => notify(JSON.parse(message) as string[]));
    // Messages sent while disconnected are lost: on every (re)subscription, assume everything changed.
    subscriber.on('ready', () => notify(null));
    subscriber.subscribe(channel).catch(onError);
    // Bumps that failed while Redis was down, applied when it is back: the writes they follow are
    // committed, and reads cached before them must not come back with Redis.
    const missed = new Set<string>();
    const bump = async (scopes: readonly string[]) => {
      const pipeline = redis.multi();
      for (const scope of scopes) pipeline.incr(key(scope));
      pipeline.publish(channel, JSON.stringify(scopes));
      await pipeline.exec();
    };
    const remember = (scopes: readonly string[]) => (error: unknown) => {
      for (const scope of scopes) missed.add(scope);
      onError(error);
    };
    const bumpMissed = async () => {
      if (missed.size === 0) return;
      const scopes = [...missed];
      missed.clear();
      await bump(scopes).catch(remember(scopes));
    };
    // After a reconnect, and before the next read: a Redis that hung answers again without one.
    redis.on('ready', bumpMissed);
    return {
      async read(scopes) {
        if (scopes.length === 0) return [];
        await bumpMissed();
        try {
          return (await redis.mget(...scopes.map(key))).map((value) => Number(value ?? 0));
        } catch (error) {
          // Unknown generations: a one-off value, so nothing cached is read or usefully written.
          onError(error);
          return scopes.map(() => -Math.random());
        }
      },
      async bump(scopes) {
        notify(scopes);
        // Runs after a mutation committed: a failure is remembered and logged, never thrown.
        await bump(scopes).catch(remember(scopes));
      },
      onBump: (listener) => listeners.push(listener),
      async close() {
        subscriber.disconnect();
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
      notify(scopes);
    },
    onBump: (listener) => listeners.push(listener),
    async close() {},
  };
}
