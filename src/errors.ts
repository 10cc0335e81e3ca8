import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** Every code a client can meet in `errors[].extensions.code`. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  // An idempotency key already used for a different request (extensions.field names it).
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  INVALID_STATE_TRANSITION: 'INVALID_STATE_TRANSITION',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  PERSISTED_QUERY_NOT_ALLOWED: 'PERSISTED_QUERY_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  // The database is unreachable (HTTP 503 + Retry-After), or an external provider (OpenAI, Twilio)
  // is failing, unconfigured or behind an open circuit breaker.
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  // Query limits: each comes with extensions { measured, limit }.
  DEPTH_LIMIT_EXCEEDED: 'DEPTH_LIMIT_EXCEEDED',
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  LIST_SIZE_LIMIT_EXCEEDED: 'LIST_SIZE_LIMIT_EXCEEDED',
  ALIAS_LIMIT_EXCEEDED: 'ALIAS_LIMIT_EXCEEDED',
  ROOT_FIELD_LIMIT_EXCEEDED: 'ROOT_FIELD_LIMIT_EXCEEDED',
  DIRECTIVE_LIMIT_EXCEEDED: 'DIRECTIVE_LIMIT_EXCEEDED',
  TOKEN_LIMIT_EXCEEDED: 'TOKEN_LIMIT_EXCEEDED',
  DOCUMENT_TOO_LARGE: 'DOCUMENT_TOO_LARGE',
  // The operation's type does not run on this transport: subscriptions over WebSocket, the rest over HTTP.
  OPERATION_NOT_SUPPORTED: 'OPERATION_NOT_SUPPORTED',
  // WebSocket limits, each with extensions { limit }: a socket refused (close code 4429) or a subscription refused.
  CONNECTIONS_PER_USER_EXCEEDED: 'CONNECTIONS_PER_USER_EXCEEDED',
  CONNECTIONS_PER_IP_EXCEEDED: 'CONNECTIONS_PER_IP_EXCEEDED',
  SUBSCRIPTIONS_PER_CONNECTION_EXCEEDED: 'SUBSCRIPTIONS_PER_CONNECTION_EXCEEDED',
  SUBSCRIPTIONS_PER_USER_EXCEEDED: 'SUBSCRIPTIONS_PER_USER_EXCEEDED',
  SUBSCRIBE_RATE_EXCEEDED: 'SUBSCRIBE_RATE_EXCEEDED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error meant for the client: its message and extensions are sent as they are. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = new.target.name;
  }
  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

/**
 * Sets the HTTP status Apollo answers with when `error` is thrown outside resolvers (from a plugin
 * hook before execution); Apollo reads it from `extensions.http` and strips it from the response.
 */
export function withHttpStatus<E extends GraphQLError>(error: E, status: number): E {
  // Apollo's shape (a HeaderMap), not the one graphql-yoga's module augmentation declares.
  (error.extensions as Record<string, unknown>).http = { status, headers: new HeaderMap() };
  return error;
}

export class NotFoundError extends AppError {
  constructor(entity: string, id: string) {
    // Echo the id the client sent, but never more than a reasonable id's worth of it.
    const shown = id.length > 64 ? `${id.slice(0, 64)}…` : id;
    super(ErrorCode.NOT_FOUND, `${entity} "${shown}" was not found.`, { entity, id: shown });
  }
}

export class ValidationError extends AppError {
  /** `field` is the path of the offending input, e.g. "input.items.0.quantity". */
  constructor(field: string, message: string) {
    super(ErrorCode.BAD_USER_INPUT, message, { field });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(ErrorCode.CONFLICT, message, extensions);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication is required.') {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this.') {
    super(ErrorCode.FORBIDDEN, message);
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(ErrorCode.RATE_LIMITED, `Too many requests: retry in ${retryAfterSeconds} s.`, { retryAfter: retryAfterSeconds });
  }
}

export class ServiceUnavailableError extends AppError {
  /** `retryAfter` (seconds) is set when the service is expected back, e.g. when its breaker half-opens. */
  constructor(service: string, message: string, retryAfterSeconds?: number) {
    super(
      ErrorCode.SERVICE_UNAVAILABLE,
      message,
      retryAfterSeconds === undefined ? { service } : { service, retryAfter: retryAfterSeconds },
    );
  }
}

/** Seconds a client is told to wait (`Retry-After`) while PostgreSQL is unreachable. */
export const databaseRetryAfterSeconds = 5;

/** PostgreSQL is unreachable: HTTP 503 with `Retry-After`. The message names no host and no driver. */
export class DatabaseUnavailableError extends ServiceUnavailableError {
  constructor() {
    super('database', 'The service is temporarily unavailable: retry shortly.', databaseRetryAfterSeconds);
  }
}

export class InvalidStateTransitionError extends AppError {
  constructor(entity: string, from: string, to: string) {
    super(ErrorCode.INVALID_STATE_TRANSITION, `${entity} cannot go from ${from} to ${to}.`, { from, to });
  }
}
