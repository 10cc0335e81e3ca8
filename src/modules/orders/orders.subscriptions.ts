import type { GraphQLContext } from '../../context.js';
import type { SubscriptionResolvers } from '../../generated/graphql.js';

/** Each event is re-read from the database: a subscription's loaders live as long as the socket. */
export const ordersSubscriptions: SubscriptionResolvers<GraphQLContext> = {
  orderUpdated: {
    subscribe: (_parent, { restaurantId }, { services }) =>
      services.events.subscribe('orderUpdated', { where: (event) => event.restaurantId === restaurantId }),
    resolve: async (event: { orderId: string }, _args: unknown, { loaders }: GraphQLContext) => {
      const order = await loaders.orderById.clear(event.orderId).load(event.orderId);
      if (!order) throw new Error(`Order "${event.orderId}" vanished after its event.`);
      return order;
    },
  },
};
