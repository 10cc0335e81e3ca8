import type { GraphQLContext } from '../../context.js';
import type { SubscriptionResolvers } from '../../generated/graphql.js';

/** Each event is read afresh: every event resolves with its own context and loaders. */
export const inventorySubscriptions: SubscriptionResolvers<GraphQLContext> = {
  inventoryLow: {
    subscribe: (_parent, { restaurantId }, { services }) =>
      services.events.subscribe('inventoryLow', { where: (event) => event.restaurantId === restaurantId }),
    resolve: async (event: { inventoryItemId: string }, _args: unknown, { loaders }: GraphQLContext) => {
      const item = await loaders.inventoryItemById.load(event.inventoryItemId);
      if (!item) throw new Error(`Inventory item "${event.inventoryItemId}" vanished after its event.`);
      return item;
    },
  },
};
