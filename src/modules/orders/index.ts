import { defineModule } from '../module.js';
import { createOrderLoaders } from './orders.loaders.js';
import { ordersResolvers } from './orders.resolvers.js';
import { createOrdersService } from './orders.service.js';

/** Orders counted recently, per process: createOrder is idempotent, and a replay must not count twice. */
const rememberedOrders = 10_000;

export const ordersModule = defineModule({
  name: 'orders',
  resolvers: [ordersResolvers],
  createServices: ({ prisma, events }) => ({ orders: createOrdersService({ prisma, events }) }),
  createLoaders: createOrderLoaders,
  owners: { Order: 'orderById' },
  createMutationMetrics: (metrics) => {
    const counted = new Set<string>();
    return {
      createOrder(order) {
        if (typeof order.id !== 'string' || counted.has(order.id)) return;
        counted.add(order.id);
        if (counted.size > rememberedOrders) counted.delete(counted.values().next().value as string);
        metrics.increment('orders.created');
      },
      updateOrderStatus(order) {
        // COMPLETED has no way out, so an order completes (and earns) once.
        if (order.status !== 'COMPLETED') return;
        metrics.increment('orders.completed');
        if (typeof order.totalAmount === 'number')
          metrics.increment('revenue.minor_units', order.totalAmount, { currency: String(order.currency) });
      },
    };
  },
});
