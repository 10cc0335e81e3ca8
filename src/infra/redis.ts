import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { type RedisBreaker, RedisBreakerOpenError } from './redis-breaker.js';

export type { Redis };

/**
 * Redis is an optimisation, never a dependency an answer waits on: a command that gets no reply
 * within this many milliseconds fails, and every caller degrades (README, "When Redis is down").
 */
export const redisCommandTimeoutMs = 250;
/** Commands fail at once while not connected, so a slow connect delays no answer: allow a loaded machine time. */
export const redisConnectTimeoutMs = 5_000;
/** Reconnect soon and forever, so the server recovers by itself when Redis returns. */
export const redisReconnectDelayMs = (attempt: number): number => Math.min(50 * 2 ** attempt, 1_000);

/** Every Redis key the server writes is named here: `servio:<purpose>:<ids…>`. */
export function redisKey(purpose: string, ...ids: Array<string | number>): string {
  return ['servio', purpose, ...ids].join(':');
}

/**
 * A client for REDIS_URL, or null for the in-process default. While Redis is known to be down a
 * command fails at once (no offline queue, no retries); while it hangs, after the command time-out,
 * until `breaker` opens and commands fail at once again.
 */
export function createRedisClient(config: Config['redis'], breaker: RedisBreaker): Redis | null {
  if (config.kind === 'memory') return null;
  const redis = new Redis(config.url, {
    keyPrefix: config.keyPrefix,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: redisCommandTimeoutMs,
    connectTimeout: redisConnectTimeoutMs,
    retryStrategy: redisReconnectDelayMs,
  });
  // Every command, typed, scripted or pipelined, goes through sendCommand; the subscriber client
  // (`duplicate`) is a new instance, so it keeps its offline queue and is never refused.
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (command, stream) => {
    // Not ready: connection set-up commands, or ones that fail at once anyway.
    if (redis.status !== 'ready' || breaker.admit(command.promise, stream)) return send(command, stream);
    command.reject(new RedisBreakerOpenError());
    return command.promise;
  };
  return redis;
}

/** The dedicated pub/sub connection: it queues its SUBSCRIBE until connected and re-subscribes after outages. */
export function createSubscriberClient(redis: Redis): Redis {
  return redis.duplicate({ enableOfflineQueue: true, commandTimeout: undefined, lazyConnect: false });
}

/**
 * Connects, waiting for the first attempt only (it fails within the connect time-out): a Redis that
 * is down must not stop start-up. ioredis keeps reconnecting in the background either way.
 */
export async function connectRedis(redis: Redis, onError: (error: unknown) => void): Promise<void> {
  await new Promise<void>((resolve) => {
    const settle = (error?: unknown) => {
      redis.off('ready', settle).off('error', settle);
      if (error) onError(error);
      resolve();
    };
    redis.once('ready', settle).once('error', settle);
    redis.connect().catch(() => undefined);
  });
}
