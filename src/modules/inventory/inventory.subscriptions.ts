import type { GraphQLContext } from '../../context.js';
import type { SubscriptionResolvers } from '../../generated/graphql.js';

/** Each event is re-read from the database: a subscription's loaders live as long as the socket. */
export const inventorySubscriptions: SubscriptionResolvers<GraphQLContext> = {
  inventoryLow: {
    subscribe: (_parent, { restaurantId }, { services }) =>
      services.events.subscribe('inventoryLow', { where: (event) => event.restaurantId === restaurantId }),
    resolve: async (event: { inventoryItemId: string }, _args: unknown, { loaders }: GraphQLContext) => {
      const item = await loaders.inventoryItemById.clear(event.inventoryItemId).load(event.inventoryItemId);
      if (!item) throw new Error(`Inventory item "${event.inventoryItemId}" vanished after its event.`);
      return item;
    },
  },
};
