import type { FastifyError, FastifyInstance } from 'fastify';
import { DatabaseUnavailableError, ErrorCode } from '../errors.js';
import { isDatabaseUnavailable } from '../infra/prisma-errors.js';

export const codeByStatus: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: ErrorCode.UNAUTHENTICATED,
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: ErrorCode.RATE_LIMITED,
};

/**
 * Errors raised before GraphQL runs (malformed JSON, oversized bodies, rate limits, bad
 * credentials) answer in the GraphQL error shape too, with a code, the request id, and no stack.
 */
export function registerHttpErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { extensions?: Record<string, unknown> }, request, reply) => {
    // PostgreSQL unreachable before GraphQL runs (authentication reads users and memberships).
    if (isDatabaseUnavailable(error)) {
      request.log.error({ err: error }, 'database unavailable');
      const outage = new DatabaseUnavailableError();
      reply.status(503).header('retry-after', String(outage.extensions.retryAfter));
      return reply.send({ errors: [{ message: outage.message, extensions: { ...outage.extensions, requestId: request.id } }] });
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const extensions = {
      ...(status < 500 ? error.extensions : {}),
      code: (status < 500 && (error.extensions?.code as string | undefined)) || codeByStatus[status] || 'INTERNAL_SERVER_ERROR',
      requestId: request.id,
    };
    const message = status >= 500 ? 'Internal server error.' : error.message;
    reply.status(status).send({ errors: [{ message, extensions }] });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      errors: [{ message: `No route ${request.method} ${request.url}.`, extensions: { code: 'NOT_FOUND', requestId: request.id } }],
    });
  });
}

/**
 * Apollo answers some requests before any plugin runs (CSRF prevention, batching refused); this
 * adds the request id to those errors too, so every error body can be matched with the logs.
 */
export function stampRequestIdOnErrors(app: FastifyInstance): void {
  app.addHook('onSend', (request, _reply, payload, done) => {
    done(null, withRequestId(payload, request.id));
  });
}

function withRequestId(payload: unknown, requestId: string): unknown {
  if (typeof payload !== 'string' || !payload.includes('"errors"') || payload.includes('"requestId"')) return payload;
  try {
    const body = JSON.parse(payload) as { errors?: Array<{ extensions?: Record<string, unknown> }> };
    if (!Array.isArray(body.errors)) return payload;
    for (const error of body.errors) error.extensions = { ...error.extensions, requestId };
    return JSON.stringify(body);
  } catch {
    return payload;
  }
}
