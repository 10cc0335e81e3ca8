import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../context.js';
import type { Metrics } from '../infra/metrics.js';

type Row = Record<string, unknown>;

/**
 * Business counters from successful root mutations, read from the resolver's own result (the
 * stored row, whatever the client selected). Derived here rather than in the services, which stay
 * free of metrics, and rather than from the event bus, whose events say neither "created" from
 * "updated" nor an amount, and reach every instance through Redis (each would count them all).
 */
export function createBusinessMetricsPlugin(options: { metrics: Metrics }): ApolloServerPlugin<GraphQLContext> {
  const { metrics } = options;
  // createOrder is idempotent: a retry returns the same order. Recently counted ids are remembered
  // (bounded, per process) so replays are not counted twice.
  const recentOrders = new Set<string>();
  const rememberOrder = (id: string) => {
    if (recentOrders.has(id)) return false;
    recentOrders.add(id);
    if (recentOrders.size > 10_000) recentOrders.delete(recentOrders.values().next().value as string);
    return true;
  };

  const onMutation: Record<string, (row: Row) => void> = {
    createOrder(order) {
      if (typeof order.id === 'string' && rememberOrder(order.id)) metrics.increment('orders.created');
    },
    updateOrderStatus(order) {
      // COMPLETED has no way out, so an order completes (and earns) once.
      if (order.status !== 'COMPLETED') return;
      metrics.increment('orders.completed');
      if (typeof order.totalAmount === 'number')
        metrics.increment('revenue.minor_units', order.totalAmount, { currency: String(order.currency) });
    },
    adjustInventory(adjustment) {
      metrics.increment('inventory.adjustments', 1, { reason: String(adjustment.reason) });
    },
    createTask() {
      metrics.increment('tasks.created');
    },
    clockIn() {
      metrics.increment('clock_ins');
    },
  };

  return {
    async requestDidStart() {
      return {
        async executionDidStart({ operation }) {
          // Typed as always present, but undefined when operationName names no operation of the
          // document: graphql-js then reports OPERATION_RESOLUTION_FAILURE itself.
          if ((operation as typeof operation | undefined)?.operation !== 'mutation') return;
          return {
            willResolveField({ info }) {
              const record = info.path.prev === undefined ? onMutation[info.fieldName] : undefined;
              if (!record) return;
              return (error, result) => {
                if (!error && result && typeof result === 'object') record(result as Row);
              };
            },
          };
        },
      };
    },
  };
}
