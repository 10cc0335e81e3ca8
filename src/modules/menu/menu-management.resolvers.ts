import { NotFoundError } from '../../errors.js';
import type { Resolvers } from '../../generated/graphql.js';

export const menuManagementResolvers: Resolvers = {
  Mutation: {
    createMenuCategory: (_parent, { input }, { services, scope }) => services.menuManagement.categories.create(input, scope),
    updateMenuCategory: (_parent, { id, input }, { services, scope }) => services.menuManagement.categories.update(id, input, scope),
    deleteMenuCategory: (_parent, { id }, { services, scope }) => services.menuManagement.categories.delete(id, scope),
    reorderMenuCategories: (_parent, { restaurantId, categoryIds }, { services, scope }) =>
      services.menuManagement.categories.reorder(restaurantId, categoryIds, scope),
    createMenuItem: (_parent, { input }, { services, scope }) => services.menuManagement.items.create(input, scope),
    updateMenuItem: (_parent, { id, input }, { services, scope }) => services.menuManagement.items.update(id, input, scope),
    deleteMenuItem: (_parent, { id }, { services, scope }) => services.menuManagement.items.delete(id, scope),
    setMenuItemAvailability: (_parent, { id, available }, { services, scope }) =>
      services.menuManagement.items.setAvailability(id, available, scope),
    reorderMenuItems: (_parent, { id, itemIds }, { services, scope }) => services.menuManagement.items.reorder(id, itemIds, scope),
    setMenuItemRecipe: (_parent, { id, ingredients }, { services, scope }) =>
      services.menuManagement.recipes.setRecipe(id, ingredients, scope),
  },
  MenuItem: {
    recipe: (item, _args, { loaders }) => loaders.ingredientsByMenuItemId.load(item.id),
  },
  MenuItemIngredient: {
    inventoryItem: async (line, _args, { loaders }) => {
      const item = await loaders.inventoryItemById.load(line.inventoryItemId);
      if (!item) throw new NotFoundError('InventoryItem', line.inventoryItemId);
      return item;
    },
  },
};
