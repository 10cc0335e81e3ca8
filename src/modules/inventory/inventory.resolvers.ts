import { NotFoundError } from '../../errors.js';
import type { Resolvers } from '../../generated/graphql.js';
import { parseInput } from '../../validation/validate.js';
import { decimalScalar } from './decimal.scalar.js';
import { inventorySubscriptions } from './inventory.subscriptions.js';
import { isLow, pageSize } from './inventory-inputs.js';

export const inventoryResolvers: Resolvers = {
  Decimal: decimalScalar,
  Subscription: inventorySubscriptions,
  Query: {
    inventoryItems: (_parent, { restaurantId, first, after }, { services }) => services.inventory.list(restaurantId, { first, after }),
    inventoryItem: (_parent, { id }, { loaders }) => loaders.inventoryItemById.load(id),
    lowStock: (_parent, { restaurantId }, { services }) => services.inventory.lowStock(restaurantId),
  },
  Mutation: {
    createInventoryItem: (_parent, { input }, { services, scope }) => services.inventory.create(input, scope),
    updateInventoryItem: (_parent, { id, input }, { services, scope }) => services.inventory.update(id, input, scope),
    adjustInventory: (_parent, { input }, { services, scope, access }) => services.inventory.adjust(input, { scope, access }),
  },
  InventoryItem: {
    __resolveReference: ({ id }, { loaders }) => loaders.inventoryItemById.load(id),
    low: (item) => isLow(item),
    restaurant: async (item, _args, { loaders }) => {
      const restaurant = await loaders.restaurantById.load(item.restaurantId);
      if (!restaurant) throw new NotFoundError('Restaurant', item.restaurantId);
      return restaurant;
    },
    // Who changed stock is for members: partner keys, which InventoryItem's @scope lets in, stop here.
    adjustments: async (item, { first }, { loaders, access }) => {
      await access.authorize({ role: 'STAFF' }, item.restaurantId);
      return loaders.adjustmentsByInventoryItemId.load({ inventoryItemId: item.id, first: parseInput(pageSize, first, 'first') });
    },
  },
  InventoryAdjustment: {
    inventoryItem: async (adjustment, _args, { loaders }) => {
      const item = await loaders.inventoryItemById.load(adjustment.inventoryItemId);
      if (!item) throw new NotFoundError('InventoryItem', adjustment.inventoryItemId);
      return item;
    },
    actor: (adjustment, _args, { loaders }) => (adjustment.actorId ? loaders.userById.load(adjustment.actorId) : null),
    order: (adjustment, _args, { loaders }) => (adjustment.orderId ? loaders.orderById.load(adjustment.orderId) : null),
  },
};
