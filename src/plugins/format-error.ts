import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { AppError, DatabaseUnavailableError, ErrorCode } from '../errors.js';
import { isDatabaseUnavailable } from '../infra/prisma-errors.js';

/**
 * What a client may see of an error. AppErrors and Apollo's own request errors (parse,
 * validation, bad variables) pass through; anything else is a bug, and the client only
 * learns INTERNAL_SERVER_ERROR plus the request id (added by the error-reporting plugin).
 */
export function createFormatError(options: { includeStacktrace: boolean; maskSuggestions?: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // "Did you mean …?" hints map the schema for whoever probes it; production keeps them to itself.
    // Variable coercion errors (BAD_USER_INPUT without a path) carry the same hints.
    const code = formatted.extensions?.code;
    if (options.maskSuggestions && (code === 'GRAPHQL_VALIDATION_FAILED' || (code === 'BAD_USER_INPUT' && !formatted.path))) {
      formatted = { ...formatted, message: formatted.message.replace(/ ?Did you mean .+\?$/, '') };
    }
    const original = unwrapResolverError(error);
    if (original instanceof AppError) return withoutStacktrace(formatted, options);
    // An outage, not a bug: SERVICE_UNAVAILABLE (HTTP 503 + Retry-After, see database-outage.plugin.ts).
    if (isDatabaseUnavailable(original)) {
      const outage = new DatabaseUnavailableError();
      return { ...pathAndLocations(formatted), message: outage.message, extensions: { ...outage.extensions } };
    }
    if (formatted.extensions?.code !== ErrorCode.INTERNAL_SERVER_ERROR) return withoutStacktrace(formatted, options);
    return {
      message: 'Internal server error.',
      ...pathAndLocations(formatted),
      extensions: {
        code: ErrorCode.INTERNAL_SERVER_ERROR,
        ...(options.includeStacktrace ? { stacktrace: formatted.extensions?.stacktrace } : {}),
      },
    };
  };
}

function withoutStacktrace(formatted: GraphQLFormattedError, options: { includeStacktrace: boolean }): GraphQLFormattedError {
  if (options.includeStacktrace || !formatted.extensions?.stacktrace) return formatted;
  const { stacktrace: _dropped, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}

function pathAndLocations(formatted: GraphQLFormattedError): Pick<GraphQLFormattedError, 'path' | 'locations'> {
  return { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
}
