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
