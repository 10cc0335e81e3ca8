import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLContext } from '../context.js';
import { isUnexpectedError } from './unexpected-error.js';

/**
 * Logs every unexpected error with its cause, and stamps the request id on every error the
 * client receives, so a support ticket can be matched with the log line.
 */
export function createErrorReportingPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            if (!isUnexpectedError(error)) continue;
            const original = unwrapResolverError(error);
            contextValue.log.error({ err: original, operationName, path: error.path }, 'unexpected error while resolving');
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
          }
        },
      };
    },
  };
}
