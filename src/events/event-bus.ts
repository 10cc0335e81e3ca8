import { EventEmitter, on } from 'node:events';
import type { Redis } from '../infra/redis.js';
import { createSubscriberClient, redisKey } from '../infra/redis.js';

/**
 * Domain events by type, beyond the restaurant every event names. Each module adds its own events
 * where it publishes them (`declare module '…/events/event-bus.js' { interface DomainEvents { … } }`).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the modules through declaration merging.
export interface DomainEvents {}

/** One domain event: its type, the restaurant it belongs to, and its own fields. */
export type DomainEvent = { [T in keyof DomainEvents]: { type: T; restaurantId: string } & DomainEvents[T] }[keyof DomainEvents];

export interface EventBus {
  /**
   * Delivered to subscribers on every server instance (through Redis when there is one). Events are
   * notifications of changes already committed: a failure to deliver is reported, never thrown.
   */
  publish(event: DomainEvent): Promise<void>;
  /**
   * Events of `type` (those `where` accepts), until the consumer calls `return()` or the signal
   * aborts. `return()` ends the stream at once, even while it waits for an event.
   */
  subscribe<T extends DomainEvent['type']>(
    type: T,
    options?: { where?: (event: Extract<DomainEvent, { type: T }>) => boolean; signal?: AbortSignal },
  ): AsyncIterableIterator<Extract<DomainEvent, { type: T }>>;
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
    subscriber = createSubscriberClient(redis);
    subscriber.on('message', (_channel: string, message: string) => deliver(JSON.parse(message) as DomainEvent));
    // Only the first attempt is awaited (it ends within the connect time-out): a Redis that is down at
    // start-up must not stop the server, and ioredis subscribes again by itself once it reconnects.
    subscriber.on('error', onError);
    const connected = subscriber;
    await new Promise<void>((resolve) => {
      connected.once('error', () => resolve());
      connected.subscribe(channel).then(
        () => resolve(),
        (error: unknown) => {
          onError(error);
          resolve();
        },
      );
    });
  }

  return {
    async publish(event) {
      if (!redis) {
        deliver(event);
        return;
      }
      // While Redis is down, this instance's subscribers still hear it; the failure is logged.
      await redis.publish(channel, JSON.stringify(event)).catch((error: unknown) => {
        onError(error);
        deliver(event);
      });
    },
    // Not an async generator: a generator's return() waits until it next resumes, i.e. until the
    // next event of the type, so an unsubscribed listener would linger until then. on()'s iterator
    // ends (and removes its listener) as soon as return() is called.
    subscribe(type, options = {}) {
      type Event = Extract<DomainEvent, { type: typeof type }>;
      const { where = () => true, signal } = options;
      const source = on(local, type, signal ? { signal } : {});
      const finished = { done: true, value: undefined } as const;
      const events: AsyncIterableIterator<Event> = {
        async next() {
          try {
            for (let step = await source.next(); !step.done; step = await source.next()) {
              const [event] = step.value as [Event];
              if (where(event)) return { done: false, value: event };
            }
          } catch (error) {
            if (!signal?.aborted) throw error;
          }
          return finished;
        },
        async return() {
          await source.return?.();
          return finished;
        },
        [Symbol.asyncIterator]: () => events,
      };
      return events;
    },
    async close() {
      local.removeAllListeners();
      if (subscriber) await subscriber.quit().catch(() => undefined);
    },
  };
}
