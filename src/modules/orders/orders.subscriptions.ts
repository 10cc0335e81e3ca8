import type { GraphQLContext } from '../../context.js';
import type { SubscriptionResolvers } from '../../generated/graphql.js';

/** Each event is read afresh: every event resolves with its own context and loaders. */
export const ordersSubscriptions: SubscriptionResolvers<GraphQLContext> = {
  orderUpdated: {
    subscribe: (_parent, { restaurantId }, { services }) =>
      services.events.subscribe('orderUpdated', { where: (event) => event.restaurantId === restaurantId }),
    resolve: async (event: { orderId: string }, _args: unknown, { loaders }: GraphQLContext) => {
      const order = await loaders.orderById.load(event.orderId);
      if (!order) throw new Error(`Order "${event.orderId}" vanished after its event.`);
      return order;
    },
  },
};
