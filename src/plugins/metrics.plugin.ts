import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../context.js';
import type { Metrics } from '../infra/metrics.js';

export interface MetricsPluginOptions {
  metrics: Metrics;
  /** A resolver taking at least this long is counted as slow (SLOW_RESOLVER_MS, default 100). */
  slowResolverMs: number;
  /**
   * The operation names the server knows (the persisted-query manifest's): only these become `operation`
   * labels. Any other name a client sends is "other", so clients cannot grow the label set.
   */
  knownOperationNames: ReadonlySet<string>;
}

const rootTypes = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Times GraphQL operations (by known name and type), counts errors by `extensions.code`, times root-field
 * resolvers and counts any resolver slower than `slowResolverMs`. Nested fields cost two clock reads
 * each and are recorded only when slow, so a page of 50 orders does not become 2,000 observations.
 */
export function createMetricsPlugin(options: MetricsPluginOptions): ApolloServerPlugin<GraphQLContext> {
  const { metrics, slowResolverMs, knownOperationNames } = options;
  const operationLabel = (name: string | undefined) => {
    if (!name) return 'anonymous';
    return knownOperationNames.has(name) ? name : 'other';
  };

  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async executionDidStart() {
          return {
            willResolveField({ info }) {
              const fieldStarted = performance.now();
              return () => {
                const elapsed = performance.now() - fieldStarted;
                const labels = { parent_type: info.parentType.name, field: info.fieldName };
                if (rootTypes.has(info.parentType.name)) metrics.timing('graphql.resolver.duration', elapsed, labels);
                if (elapsed >= slowResolverMs) metrics.increment('graphql.slow_resolvers', 1, labels);
              };
            },
          };
        },
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
