import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestServer } from './test-server.js';

/** A graphql-ws client of `server`'s /graphql, authenticating with `connectionParams` on connection_init. */
export function connectGraphqlWs(server: Pick<TestServer, 'url'>, connectionParams: Record<string, string>): Client {
  return createClient({
    url: `${server.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
}

/** What a subscribe message came to first: an event, an error message, a closed socket, or completion. */
export type FirstOutcome =
  | { next: Record<string, unknown> }
  | { errors: Array<{ message: string; extensions?: Record<string, unknown> }> }
  | { closed: { code: number; reason: string } }
  | { complete: true };

/** Subscribes and resolves with the first thing that happens; the subscription stays open until `unsubscribe`. */
export function firstOutcome(client: Client, payload: { query: string; variables?: Record<string, unknown> }) {
  let unsubscribe = () => {};
  const outcome = new Promise<FirstOutcome>((resolve) => {
    unsubscribe = client.subscribe(payload, {
      next: (result) => resolve({ next: result as Record<string, unknown> }),
      error: (error) => {
        if (Array.isArray(error)) resolve({ errors: error });
        else {
          const event = error as { code?: number; reason?: string };
          resolve({ closed: { code: event.code ?? 0, reason: event.reason ?? '' } });
        }
      },
      complete: () => resolve({ complete: true }),
    });
  });
  return { outcome, unsubscribe: () => unsubscribe() };
}
