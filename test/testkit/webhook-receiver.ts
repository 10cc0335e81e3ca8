import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http-body.js';
import type { Json } from './test-server.js';

/** A local endpoint for ALERT_WEBHOOK_URL that keeps every JSON body posted to it, with its content type. */
export async function startWebhookReceiver() {
  const received: Array<{ contentType: string | undefined; body: Json }> = [];
  const server = createServer(async (request, response) => {
    received.push({ contentType: request.headers['content-type'], body: JSON.parse((await readBody(request)).toString('utf8')) });
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
