import type { OwnerLookups } from './directives/auth.directive.js';

/** Which restaurant owns an object, per type, for `@auth`/`@scope` on fields taking its `id`. */
export const ownerLookups: OwnerLookups = {
  Restaurant: async (id, { loaders }) => (await loaders.restaurantById.load(id))?.id ?? null,
  MenuCategory: async (id, { loaders }) => (await loaders.menuCategoryById.load(id))?.restaurantId ?? null,
  MenuItem: async (id, { loaders }) => (await loaders.menuItemById.load(id))?.restaurantId ?? null,
  InventoryItem: async (id, { loaders }) => (await loaders.inventoryItemById.load(id))?.restaurantId ?? null,
  Order: async (id, { loaders }) => (await loaders.orderById.load(id))?.restaurantId ?? null,
  ApiKey: async (id, { loaders }) => (await loaders.apiKeyById.load(id))?.restaurantId ?? null,
  Task: async (id, { loaders }) => (await loaders.taskById.load(id))?.restaurantId ?? null,
  TimeEntry: async (id, { loaders }) => (await loaders.timeEntryById.load(id))?.restaurantId ?? null,
};
