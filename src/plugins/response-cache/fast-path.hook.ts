import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../../infra/metrics.js';
import { etagOf, type LocalResponses } from './local-responses.js';

/**
 * Internal header from the response-cache plugin to this hook: the generation scopes of a cacheable
 * answer. Removed before the response leaves.
 */
export const scopesHeaderName = 'servio-cache-scopes';

interface Pending {
  key: string;
  epoch: number;
}

/** `max-age` of a `public` cache-control header, in ms; 0 when the answer may not be shared. */
function publicMaxAgeMs(cacheControl: unknown): number {
  if (typeof cacheControl !== 'string' || !/\bpublic\b/.test(cacheControl)) return 0;
  return Number(/\bmax-age=(\d+)/.exec(cacheControl)?.[1] ?? 0) * 1000;
}

/**
 * What identifies an anonymous request's answer, or null when it cannot be shared: the method, the
 * negotiated content type, and the document with its variables (the URL, for GET). A GET without
 * Apollo's CSRF preflight header gets its own keys, so it is answered (refused) by Apollo as before.
 */
function requestKey(request: FastifyRequest): string | null {
  const accept = request.headers.accept ?? '';
  if (request.method === 'GET') {
    const preflight = request.headers['apollo-require-preflight'] !== undefined || request.headers['x-apollo-operation-name'] !== undefined;
    return `GET ${preflight} ${accept} ${request.url}`;
  }
  const body = request.body as { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: unknown } | null;
  if (request.method !== 'POST' || typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  try {
    return `POST ${accept} ${JSON.stringify([body.query, body.operationName, body.variables, body.extensions])}`;
  } catch {
    // Nested too deep to serialise (RangeError): no read worth caching; the input guard refuses it.
    return null;
  }
}

/**
 * The cache-hit fast path: anonymous reads whose public answer this instance holds are answered from
 * the stored bytes before GraphQL parsing and Apollo's pipeline (no Redis round trip either). GETs
 * carry a strong ETag and answer `304 Not Modified` to a matching `If-None-Match`, hit or miss.
 * Misses go through Apollo as before; their public answers are stored here on the way out.
 */
export function registerResponseFastPath(app: FastifyInstance, deps: { local: LocalResponses; metrics: Metrics }): void {
  const pending = new WeakMap<FastifyRequest, Pending>();

  const notModified = (request: FastifyRequest, reply: FastifyReply, etag: string) =>
    request.method === 'GET' && request.headers['if-none-match'] === etag ? reply.code(304) : null;

  app.addHook('preHandler', async (request, reply) => {
    if (request.ws || reply.sent || request.viewer?.kind !== 'anonymous') return;
    const key = requestKey(request);
    if (key === null) return;
    const now = Date.now();
    const hit = deps.local.get(key, now);
    if (!hit) {
      pending.set(request, { key, epoch: deps.local.epoch() });
      return;
    }
    deps.metrics.increment('cache.responses', 1, { result: 'hit' });
    reply
      .headers(hit.headers)
      .header('x-cache', 'HIT')
      .header('age', Math.floor((now - hit.storedAt) / 1000));
    if (request.method === 'GET') reply.header('etag', hit.etag);
    if (notModified(request, reply, hit.etag)) return reply.send();
    return reply.send(hit.body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const scopesHeader = reply.getHeader(scopesHeaderName);
    if (scopesHeader === undefined) return payload;
    reply.removeHeader(scopesHeaderName);
    const waiting = pending.get(request);
    if (!waiting || reply.statusCode !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload;
    const scopes = String(scopesHeader).split(',');
    const ttlMs = publicMaxAgeMs(reply.getHeader('cache-control'));
    if (ttlMs === 0) return payload;
    const body = Buffer.from(payload);
    const etag = etagOf(body);
    const headers = { 'content-type': String(reply.getHeader('content-type')), 'cache-control': String(reply.getHeader('cache-control')) };
    deps.local.put(waiting.key, { body, headers, etag, scopes, storedAt: Date.now() }, ttlMs, waiting.epoch);
    if (request.method !== 'GET') return payload;
    reply.header('etag', etag);
    return notModified(request, reply, etag) ? '' : payload;
  });
}
