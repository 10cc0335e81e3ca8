import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../context.js';
import type { MutationMetric } from '../modules/module.js';

/**
 * Business counters from successful root mutations, read from the resolver's own result (the
 * stored row, whatever the client selected). Each module declares its counters (see
 * `createMutationMetrics` in src/modules); this plugin only feeds them. Derived from results rather
 * than the event bus, whose events say neither "created" from "updated" nor an amount, and reach
 * every instance through Redis (each would count them all).
 */
export function createBusinessMetricsPlugin(options: { onMutation: Record<string, MutationMetric> }): ApolloServerPlugin<GraphQLContext> {
  const { onMutation } = options;
  return {
    async requestDidStart() {
      return {
        async executionDidStart({ operation }) {
          // Typed as always present, but undefined when operationName names no operation of the
          // document: graphql-js then reports OPERATION_RESOLUTION_FAILURE itself.
          if ((operation as typeof operation | undefined)?.operation !== 'mutation') return;
          return {
            willResolveField({ info }) {
              const record =
                info.path.prev === undefined && Object.hasOwn(onMutation, info.fieldName) ? onMutation[info.fieldName] : undefined;
              if (!record) return;
              return (error, result) => {
                if (!error && result && typeof result === 'object') record(result as Record<string, unknown>);
              };
            },
          };
        },
      };
    },
  };
}
