import type { FastifyInstance } from 'fastify';

/**
 * While the server drains (app.close()), every response says `Connection: close`: a request that was
 * in flight when SIGTERM came would otherwise leave its kept-alive connection open and idle, and the
 * HTTP server would wait for it until its keep-alive time-out. Requests that arrive on such a
 * connection meanwhile get Fastify's 503 with `Connection: close` (return503OnClosing).
 */
export function closeConnectionsWhileDraining(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });
}

/** How long a WebSocket client gets to answer the closing handshake before its socket is cut. */
const closeHandshakeMs = 1_000;

/**
 * On shutdown, WebSockets are closed with 1001 "going away" (reconnect, to another instance), not
 * treated as errors; a client that does not complete the handshake in time is cut.
 */
export async function closeWebSocketsGoingAway(this: FastifyInstance): Promise<void> {
  const clients = [...this.websocketServer.clients];
  for (const client of clients) client.close(1001, 'Server shutting down');
  this.websocketServer.close();
  const cut = setTimeout(() => {
    for (const client of clients) client.terminate();
  }, closeHandshakeMs);
  cut.unref();
}
