import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { UserAccess } from '../auth/access.js';
import type { Viewer } from '../auth/viewer.js';
import type { Config } from '../config.js';
import { createRateLimiter, rateLimitStoreOf } from '../infra/rate-limiter.js';
import { type Redis, redisKey } from '../infra/redis.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on /graphql. */
    viewer?: Viewer;
    userAccess?: UserAccess | null;
  }
}

/**
 * The headers helmet sets for these options, computed once: they are the same for every response
 * (@fastify/helmet would rebuild them on every request, a tenth of a cached answer's CPU).
 */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: () => undefined,
  };
  helmet(options)({} as never, response as never, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

/**
 * Security headers, CORS and the per-IP limit for anonymous traffic. Authenticated callers are
 * limited per user or key by `@rateLimit` instead; health probes are never limited.
 */
export async function registerHttpSecurity(app: FastifyInstance, config: Config, redis: Redis | null): Promise<void> {
  // The headers a JSON API needs (OWASP REST Security Cheat Sheet); helmet's others are for HTML documents
  // or old browsers (IE8 downloads, Flash policies, DNS prefetch, COOP, Origin-Agent-Cluster, X-XSS-Protection).
  const headers = securityHeaders({
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
    frameguard: { action: 'deny' },
    noSniff: true,
    hidePoweredBy: true,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // JSON only: nothing to load. The explorer page sets its own policy (src/plugins/explorer).
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
    },
    crossOriginOpenerPolicy: false,
    crossOriginEmbedderPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });

  const allowed = new Set(config.http.corsOrigins);
  await app.register(cors, {
    // Requests without Origin (servers, curl) are not browser requests: no CORS headers (Vary: Origin stays).
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-request-id', 'apollo-require-preflight', 'x-apollo-operation-name'],
    exposedHeaders: ['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
    maxAge: 600,
  });

  const { limit, durationSeconds } = config.rateLimits.anonymousHttp;
  await app.register(rateLimit, {
    global: true,
    // After authentication (an onRequest hook), so a request knows whether it is anonymous.
    hook: 'preHandler',
    max: limit,
    timeWindow: durationSeconds * 1000,
    store: rateLimitStoreOf(createRateLimiter(redis, { points: limit, durationSeconds, keyPrefix: redisKey('http-ratelimit') })),
    keyGenerator: (request) => request.ip,
    allowList: (request) => request.url.startsWith('/health') || (request.viewer !== undefined && request.viewer.kind !== 'anonymous'),
    enableDraftSpec: true,
    errorResponseBuilder: (_request, context) => {
      const retryAfter = Math.max(1, Math.ceil(context.ttl / 1000));
      return Object.assign(new Error(`Too many requests from this address: retry in ${retryAfter} s.`), {
        statusCode: 429,
        extensions: { code: 'RATE_LIMITED', retryAfter },
      });
    },
  });
}
