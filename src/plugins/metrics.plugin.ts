import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../context.js';
import type { Metrics } from '../infra/metrics.js';

export interface MetricsPluginOptions {
  metrics: Metrics;
  /**
   * The operation names the server knows (the persisted-query manifest's): only these become `operation`
   * labels. Any other name a client sends is "other", so clients cannot grow the label set.
   */
  knownOperationNames: ReadonlySet<string>;
}

/**
 * Times GraphQL operations (by known name and type) and counts errors by `extensions.code`. Resolvers are
 * timed on the schema itself (resolver-timing.ts), not here: a `willResolveField` hook runs for every field.
 */
export function createMetricsPlugin(options: MetricsPluginOptions): ApolloServerPlugin<GraphQLContext> {
  const { metrics, knownOperationNames } = options;
  const operationLabel = (name: string | undefined) => {
    if (!name) return 'anonymous';
    return knownOperationNames.has(name) ? name : 'other';
  };

  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, operation, errors }) {
          // Counted here, not in didEncounterErrors: other plugins' hooks there may still set the code
          // (the query limits put theirs back in place of GRAPHQL_VALIDATION_FAILED).
          for (const error of errors ?? []) {
            const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
            metrics.increment('graphql.errors', 1, { code });
          }
          metrics.timing('graphql.operation.duration', performance.now() - started, {
            operation: operationLabel(operationName ?? undefined),
            // Documents that fail to parse or validate have no operation.
            type: operation?.operation ?? 'unknown',
          });
        },
      };
    },
  };
}
