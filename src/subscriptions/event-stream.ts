import { createSourceEventStream, type ExecutionArgs, type ExecutionResult, execute } from 'graphql';
import type { InFlight } from '../http/in-flight.js';

/** An async iterator whose `return()` graphql-ws calls when the client completes or the socket closes. */
export type ResultStream = AsyncIterableIterator<ExecutionResult> & { return(): Promise<IteratorResult<ExecutionResult>> };

/**
 * graphql-js's `subscribe` (source stream, then `execute` per event), with two differences:
 *
 * - each event executes with `contextForEvent()`: a fresh context, so no loader memo outlives an event;
 * - `onDelivered(ms)` is called once per event, with the time from its arrival to its result being
 *   sent: graphql-ws asks for the next result (or returns) only after sending the previous one.
 * - each event's resolution is counted in `inFlight`, so shutdown closes the pools only after it; once
 *   shutdown has begun, no new event is resolved (the stream waits for its socket to close);
 * - `return()` ends a pending `next()` at once. The subscribe resolvers are async generators waiting
 *   on the event bus, and a generator's own `return()` waits for it to resume, i.e. for the next
 *   event of that type; graphql-ws, which awaits it, would only then end the subscription.
 */
export async function subscribeWithDeliveryTimes(
  args: ExecutionArgs,
  onDelivered: (milliseconds: number) => void,
  contextForEvent: () => unknown,
  inFlight: InFlight,
): Promise<ResultStream | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const source = stream[Symbol.asyncIterator]();

  const done = { done: true, value: undefined } as const;
  let ended = false;
  let stop = () => {};
  const stopped = new Promise<typeof done>((resolve) => {
    stop = () => resolve(done);
  });
  // When the event whose result graphql-ws holds arrived; undefined while none is being delivered.
  let handedOver: number | undefined;
  const delivered = () => {
    if (handedOver !== undefined) onDelivered(performance.now() - handedOver);
    handedOver = undefined;
  };

  const results: ResultStream = {
    async next() {
      delivered();
      if (ended) return done;
      const event = await Promise.race([source.next(), stopped]);
      if (event.done) return done;
      if (inFlight.draining) return stopped;
      const arrived = performance.now();
      const result = await inFlight.track(Promise.resolve(execute({ ...args, contextValue: contextForEvent(), rootValue: event.value })));
      // Completed while resolving: the client asked for nothing more.
      if (ended) return done;
      handedOver = arrived;
      return { done: false, value: result };
    },
    async return() {
      delivered();
      if (!ended) {
        ended = true;
        stop();
        // Not awaited (see above); the generator ends when it next resumes.
        source.return?.().catch(() => undefined);
      }
      return done;
    },
    [Symbol.asyncIterator]() {
      return results;
    },
  };
  return results;
}
