import { EventEmitter, on } from 'node:events';
import type { Redis } from '../infra/redis.js';
import { redisKey } from '../infra/redis.js';

/** Domain events subscribers care about; each names the restaurant it belongs to. */
export type DomainEvent =
  | { type: 'orderUpdated'; restaurantId: string; orderId: string }
  | { type: 'inventoryLow'; restaurantId: string; inventoryItemId: string }
  | { type: 'taskAssigned'; restaurantId: string; taskId: string; assigneeId: string };

export interface EventBus {
  /**
   * Delivered to subscribers on every server instance (through Redis when there is one). Events are
   * notifications of changes already committed: a failure to deliver is reported, never thrown.
   */
  publish(event: DomainEvent): Promise<void>;
  /** Events of `type`, until the consumer stops iterating or the signal aborts. */
  subscribe<T extends DomainEvent['type']>(type: T, signal?: AbortSignal): AsyncIterable<Extract<DomainEvent, { type: T }>>;
  close(): Promise<void>;
}

/**
 * Redis pub/sub fan-out when Redis is configured (a dedicated subscriber connection, as Redis
 * requires), else an in-process emitter. Either way local subscribers read from one emitter.
 */
export async function createEventBus(redis: Redis | null, onError: (error: unknown) => void): Promise<EventBus> {
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const deliver = (event: DomainEvent) => local.emit(event.type, event);

  // ioredis's keyPrefix does not apply to channels: add it, so separate deployments stay apart.
  const channel = `${redis?.options.keyPrefix ?? ''}${redisKey('events')}`;
  let subscriber: Redis | null = null;
  if (redis) {
    subscriber = redis.duplicate();
    subscriber.on('message', (_channel: string, message: string) => deliver(JSON.parse(message) as DomainEvent));
    // Not awaited: a Redis that is down at start-up must not stop the server; ioredis subscribes
    // again by itself once it reconnects.
    subscriber.on('error', onError);
    subscriber.subscribe(channel).catch(onError);
  }

  return {
    async publish(event) {
      if (!redis) {
        deliver(event);
        return;
      }
      await redis.publish(channel, JSON.stringify(event)).catch(onError);
    },
    async *subscribe(type, signal) {
      try {
        for await (const [event] of on(local, type, signal ? { signal } : {})) yield event;
      } catch (error) {
        if (!signal?.aborted) throw error;
      }
    },
    async close() {
      local.removeAllListeners();
      if (subscriber) await subscriber.quit().catch(() => undefined);
    },
  };
}
