import { maybeCacheControlFromInfo } from '@apollo/cache-control-types';
import type { Resolvers } from '../../generated/graphql.js';

/**
 * Who may see items that are switched off, on every path (`items(includeUnavailable:)`, `_entities`):
 * `menuItems`' own `@auth(requires: STAFF) @scope(requires: "menu:read")`.
 */
const unavailableItemsReaders = { role: 'STAFF', scope: 'menu:read' } as const;

export const menuResolvers: Resolvers = {
  Query: {
    menuItems: (_parent, { restaurantId, first }, { services }) => services.menu.listItems(restaurantId, first),
  },
  Restaurant: {
    menu: (restaurant, _args, { loaders }) => loaders.categoriesByRestaurantId.load(restaurant.id),
  },
  MenuCategory: {
    __resolveReference: ({ id }, { loaders }) => loaders.menuCategoryById.load(id),
    items: async (category, { includeUnavailable }, { loaders, access }, info) => {
      if (!includeUnavailable) return loaders.availableItemsByCategoryId.load(category.id);
      // Switched-off items follow menuItems' rule (staff, admins, "menu:read" keys), and the answer is theirs alone.
      await access.authorize(unavailableItemsReaders, category.restaurantId);
      maybeCacheControlFromInfo(info)?.setCacheHint({ scope: 'PRIVATE' });
      return loaders.allItemsByCategoryId.load(category.id);
    },
  },
  MenuItem: {
    // By id, a switched-off item follows the same rule: to anyone else it is unknown (null), like a missing id.
    __resolveReference: async ({ id }, { loaders, access }, info) => {
      const item = await loaders.menuItemById.load(id);
      if (!item || item.available) return item;
      // The answer depends on who asks: never a shared (public) cache entry.
      maybeCacheControlFromInfo(info)?.setCacheHint({ scope: 'PRIVATE' });
      return (await access.allows(unavailableItemsReaders, item.restaurantId)) ? item : null;
    },
    price: (item) => ({ amount: item.priceAmount, currency: item.currency }),
    category: async (item, _args, { loaders }) => {
      const category = await loaders.menuCategoryById.load(item.categoryId);
      if (!category) throw new Error(`MenuItem "${item.id}" points at missing category "${item.categoryId}".`);
      return category;
    },
  },
};
