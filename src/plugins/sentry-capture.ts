import { unwrapResolverError } from '@apollo/server/errors';
import * as Sentry from '@sentry/node';
import type { GraphQLError } from 'graphql';
import type { Viewer } from '../auth/viewer.js';

/** What an error report says about the operation that raised the error. */
export interface OperationDetails {
  viewer: Viewer;
  requestId: string;
  /** The caller's restaurant: the API key's own, else the root field's argument. */
  restaurantId: string | undefined;
  operationName: string | undefined;
  operationType: string | undefined;
  breadcrumbs: readonly Sentry.Breadcrumb[];
  /** Tags beyond the operation's own, e.g. a WebSocket's `connection_id`. */
  tags?: Record<string, string>;
}

/**
 * Sends one unexpected GraphQL error to Sentry on a scope of its own, so concurrent operations never
 * see each other's tags. The event carries the user id (API keys: tag `api_key_id`), the
 * `request_id` and `restaurant_id` tags, the operation name as its transaction, the error's path
 * and the operation's breadcrumbs; never variables or the query text, which may hold customer
 * phone numbers. Used by the Sentry plugin (HTTP) and the graphql-ws handler (subscriptions).
 */
export function captureOperationError(error: GraphQLError, details: OperationDetails): void {
  const { viewer, requestId, restaurantId, operationName, operationType } = details;
  Sentry.withScope((scope) => {
    scope.setTransactionName(operationName ?? 'anonymous operation');
    scope.setTag('request_id', requestId);
    if (restaurantId) scope.setTag('restaurant_id', restaurantId);
    if (operationType) scope.setTag('graphql.operation_type', operationType);
    for (const [name, value] of Object.entries(details.tags ?? {})) scope.setTag(name, value);
    if (viewer.kind === 'user') scope.setUser({ id: viewer.userId });
    if (viewer.kind === 'apiKey') scope.setTag('api_key_id', viewer.apiKeyId);
    scope.setContext('graphql', {
      operationName: operationName ?? null,
      operationType: operationType ?? null,
      path: error.path ?? null,
    });
    for (const crumb of details.breadcrumbs) scope.addBreadcrumb(crumb);
    Sentry.captureException(unwrapResolverError(error));
  });
}
