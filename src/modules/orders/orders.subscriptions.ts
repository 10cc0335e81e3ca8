import type { GraphQLContext } from '../../context.js';
import type { SubscriptionResolvers } from '../../generated/graphql.js';

/** Each event is re-read from the database: a subscription's loaders live as long as the socket. */
export const ordersSubscriptions: SubscriptionResolvers<GraphQLContext> = {
  orderUpdated: {
    subscribe: async function* (_parent, { restaurantId }, { services }) {
      for await (const event of services.events.subscribe('orderUpdated')) {
        if (event.restaurantId === restaurantId) yield event;
      }
    },
    resolve: async (event: { orderId: string }, _args: unknown, { loaders }: GraphQLContext) => {
      const order = await loaders.orderById.clear(event.orderId).load(event.orderId);
      if (!order) throw new Error(`Order "${event.orderId}" vanished after its event.`);
      return order;
    },
  },
};
