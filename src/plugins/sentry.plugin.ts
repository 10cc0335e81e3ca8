import type { ApolloServerPlugin } from '@apollo/server';
import * as Sentry from '@sentry/node';
import { restaurantIdArgument } from '../auth/restaurant-argument.js';
import type { GraphQLContext } from '../context.js';
import { firstRootFieldArguments } from './root-field-arguments.js';
import { captureOperationError } from './sentry-capture.js';
import { isUnexpectedError } from './unexpected-error.js';

/** OpenTelemetry's "error" status code, which Sentry reports as `internal_error`. */
const spanStatusError = 2;

/**
 * Sends unexpected errors to Sentry and traces every operation. Install it only when Sentry is
 * enabled (`infra.errorTracking.enabled`); it uses the process's global Sentry client.
 *
 * - Tracing: a `graphql.operation` span per operation, named after it (`anonymous operation`
 *   without a name), and the request's transaction renamed after it; sampled by
 *   SENTRY_TRACES_SAMPLE_RATE.
 * - Errors: only what isUnexpectedError calls a bug; AppErrors (validation, auth, rate limit …)
 *   and Apollo's request errors are breadcrumbs, never events. Each event carries the user id
 *   (API keys: tag `api_key_id`), the `request_id` and `restaurant_id` tags, the operation name
 *   as its transaction, the error's path, and the request's breadcrumbs. Never variables or the
 *   query text: they may hold customer phone numbers.
 */
export function createSentryPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const { viewer, requestId } = contextValue;
      let operationName = request.operationName ?? undefined;
      let operationType: string | undefined;
      // The caller's restaurant: the API key's own, else the first root field's argument.
      let restaurantId = viewer.kind === 'apiKey' ? viewer.restaurantId : undefined;
      // Per request, not on a shared scope: concurrent requests must not see each other's.
      const breadcrumbs: Sentry.Breadcrumb[] = [];
      const breadcrumb = (message: string, data?: Record<string, unknown>) =>
        breadcrumbs.push({ category: 'graphql', message, timestamp: Date.now() / 1000, ...(data ? { data } : {}) });
      // A child of the HTTP request's span when there is one (its transaction is then renamed
      // after the operation too), else a transaction of its own.
      const span = Sentry.startInactiveSpan({
        name: operationName ?? 'anonymous operation',
        op: 'graphql.operation',
        attributes: { 'request.id': requestId },
      });
      breadcrumb('request received', { operationName });

      return {
        async didResolveOperation({ operation, operationName: resolvedName, schema }) {
          operationName = resolvedName ?? undefined;
          operationType = operation?.operation;
          if (operation && !restaurantId) {
            const args = firstRootFieldArguments(schema, operation, request.variables ?? {});
            restaurantId = args && restaurantIdArgument(args);
          }
          for (const named of new Set([span, Sentry.getRootSpan(span)]))
            Sentry.updateSpanName(named, operationName ?? 'anonymous operation');
          if (operationType) span.setAttribute('graphql.operation.type', operationType);
          breadcrumb('operation resolved', { operationName, operationType });
        },
        async executionDidStart() {
          breadcrumb('execution started');
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (!isUnexpectedError(error)) {
              breadcrumb('request error', { code: error.extensions?.code, path: error.path?.join('.') });
              continue;
            }
            span.setStatus({ code: spanStatusError, message: 'internal_error' });
            Sentry.withActiveSpan(span, () =>
              captureOperationError(error, { viewer, requestId, restaurantId, operationName, operationType, breadcrumbs }),
            );
          }
        },
        async willSendResponse() {
          // A transaction is sent when its root ends: the HTTP span's, after the response is written.
          span.end();
        },
      };
    },
  };
}
