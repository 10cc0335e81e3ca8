import type { Resolvers } from '../../generated/graphql.js';

export const menuResolvers: Resolvers = {
  Query: {
    menuItems: (_parent, { restaurantId, first }, { services }) => services.menu.listItems(restaurantId, first),
  },
  Restaurant: {
    menu: (restaurant, _args, { loaders }) => loaders.categoriesByRestaurantId.load(restaurant.id),
  },
  MenuCategory: {
    __resolveReference: ({ id }, { loaders }) => loaders.menuCategoryById.load(id),
    items: (category, { includeUnavailable }, { loaders }) =>
      (includeUnavailable ? loaders.allItemsByCategoryId : loaders.availableItemsByCategoryId).load(category.id),
  },
  MenuItem: {
    __resolveReference: ({ id }, { loaders }) => loaders.menuItemById.load(id),
    price: (item) => ({ amount: item.priceAmount, currency: item.currency }),
    category: async (item, _args, { loaders }) => {
      const category = await loaders.menuCategoryById.load(item.categoryId);
      if (!category) throw new Error(`MenuItem "${item.id}" points at missing category "${item.categoryId}".`);
      return category;
    },
  },
};
