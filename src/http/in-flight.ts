/**
 * Counts GraphQL handler runs that have not finished. A client that hangs up does not stop its
 * operation, and Fastify's close no longer waits for it once the socket is gone: shutdown waits here
 * before it closes the pools the operation is still using.
 */
export function createInFlight() {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    track<T>(work: Promise<T>): Promise<T> {
      running++;
      return work.finally(() => {
        running--;
        if (running === 0) for (const resolve of waiting.splice(0)) resolve();
      });
    },
    get running(): number {
      return running;
    },
    idle(): Promise<void> {
      return running === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve));
    },
  };
}
