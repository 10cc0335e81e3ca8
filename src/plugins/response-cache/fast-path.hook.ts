import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../../infra/metrics.js';
import { etagOf, type LocalResponse, type LocalResponses } from './local-responses.js';

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
 * negotiated content type, and the exact request body (the URL, for GET), so a hit costs no
 * re-serialisation. A GET without Apollo's CSRF preflight header gets its own keys, so it is answered
 * (refused) by Apollo as before.
 */
function requestKey(request: FastifyRequest, rawBody: string | undefined): string | null {
  const accept = request.headers.accept ?? '';
  if (request.method === 'GET') {
    const preflight = request.headers['apollo-require-preflight'] !== undefined || request.headers['x-apollo-operation-name'] !== undefined;
    return `GET ${preflight} ${accept} ${request.url}`;
  }
  return request.method === 'POST' && rawBody !== undefined ? `POST ${accept} ${rawBody}` : null;
}

/**
 * The cache-hit fast path: anonymous reads whose public answer this instance holds are answered from
 * the stored bytes before GraphQL parsing and Apollo's pipeline (no Redis round trip either). GETs
 * carry a strong ETag and answer `304 Not Modified` to a matching `If-None-Match`, hit or miss.
 * Misses go through Apollo as before; their public answers are stored here on the way out.
 */
export function registerResponseFastPath(app: FastifyInstance, deps: { local: LocalResponses; metrics: Metrics }): void {
  const pending = new WeakMap<FastifyRequest, Pending>();
  const rawBodies = new WeakMap<FastifyRequest, string>();

  // JSON bodies are parsed as Fastify always does (prototype poisoning refused); the text is kept for the key.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (request.viewer?.kind === 'anonymous') rawBodies.set(request, body as string);
    parseJson(request, body as string, done);
  });

  const notModified = (request: FastifyRequest, reply: FastifyReply, etag: string) =>
    request.method === 'GET' && request.headers['if-none-match'] === etag ? reply.code(304) : null;

  /** The stored answer for this request, or undefined (then the answer is awaited, to be stored on the way out). */
  const lookUp = (request: FastifyRequest, reply: FastifyReply): LocalResponse | undefined => {
    if (request.ws || reply.sent || request.viewer?.kind !== 'anonymous') return undefined;
    const key = requestKey(request, rawBodies.get(request));
    if (key === null) return undefined;
    const hit = deps.local.get(key);
    if (!hit) pending.set(request, { key, epoch: deps.local.epoch() });
    return hit;
  };

  /** The payload to send; a public 200 answer Apollo computed for a waiting request is stored first. */
  const storeOnTheWayOut = (request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown => {
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
  };

  // Callback hooks: on the hottest path an async hook's promise is a measurable share of a hit's CPU.
  app.addHook('preHandler', (request, reply, done) => {
    const hit = lookUp(request, reply);
    if (!hit) return done();
    deps.metrics.increment('cache.responses', 1, { result: 'hit' });
    reply
      .headers(hit.headers)
      .header('x-cache', 'HIT')
      .header('age', Math.floor((Date.now() - hit.storedAt) / 1000));
    if (request.method === 'GET') reply.header('etag', hit.etag);
    // Replying without calling done() ends the hook chain (the handler does not run).
    reply.send(notModified(request, reply, hit.etag) ? undefined : hit.body);
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    done(null, storeOnTheWayOut(request, reply, payload));
  });
}
