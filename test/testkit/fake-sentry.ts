import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http-body.js';
import type { Json } from './test-server.js';

/** One item of a Sentry envelope: an event, a transaction, a session … with its decoded payload. */
export interface EnvelopeItem {
  type: string;
  payload: Json;
}

/**
 * A local stand-in for Sentry: the real SDK posts its envelopes to
 * http://127.0.0.1:<port>/api/1/envelope/, where they are decoded and kept. Sentry's client is
 * global to the process, so only one such DSN per test file (its own worker process) is ever used.
 */
export async function startFakeSentry() {
  const items: EnvelopeItem[] = [];
  const paths: string[] = [];
  const collector = createServer(async (request, response) => {
    paths.push(request.url ?? '');
    items.push(...parseEnvelope(await readBody(request)));
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const { port } = collector.address() as AddressInfo;
  return {
    dsn: `http://publickey@127.0.0.1:${port}/1`,
    items,
    paths,
    events: () => items.filter((item) => item.type === 'event').map((item) => item.payload),
    close: () => new Promise<void>((resolve) => collector.close(() => resolve())),
  };
}

/**
 * An envelope: a header line, then for each item a header line and its payload — `length` bytes
 * when the item header gives it, else one line. See develop.sentry.dev/sdk/data-model/envelopes.
 */
export function parseEnvelope(body: Buffer): EnvelopeItem[] {
  let offset = 0;
  const take = (length?: number) => {
    const end = length === undefined ? (body.indexOf(0x0a, offset) + 1 || body.length + 1) - 1 : offset + length;
    const chunk = body.subarray(offset, end);
    offset = end + 1;
    return chunk.toString('utf8');
  };
  take(); // the envelope header: event id, DSN, SDK
  const items: EnvelopeItem[] = [];
  while (offset < body.length) {
    const line = take();
    if (!line.trim()) continue;
    const header = JSON.parse(line) as { type: string; length?: number };
    const payload = take(header.length);
    items.push({ type: header.type, payload: header.type === 'attachment' ? payload : JSON.parse(payload) });
  }
  return items;
}
