/**
 * Counts GraphQL work that has not finished: HTTP handler runs and subscription events being resolved.
 * A client that hangs up does not stop its operation, and Fastify's close no longer waits for it once
 * the socket is gone: shutdown waits here before it closes the pools that work is still using. Once
 * shutdown begins (`drain()`), subscriptions start resolving no new event: their clients, told to go away
 * (1001), resubscribe elsewhere.
 */
export function createInFlight() {
  let running = 0;
  let draining = false;
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
    drain(): void {
      draining = true;
    },
    get draining(): boolean {
      return draining;
    },
    idle(): Promise<void> {
      return running === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

export type InFlight = ReturnType<typeof createInFlight>;
