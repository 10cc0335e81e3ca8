import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError } from 'graphql';
import { AppError } from '../errors.js';

/**
 * A bug rather than a refusal: not an AppError (validation, auth, rate limit, not found …) and
 * without a code of Apollo's own (parse, validation, BAD_USER_INPUT variables). The error-reporting
 * and Sentry plugins both report exactly these.
 */
export function isUnexpectedError(error: GraphQLError): boolean {
  return !(unwrapResolverError(error) instanceof AppError || error.extensions?.code);
}
