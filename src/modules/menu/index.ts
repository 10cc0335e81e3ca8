import { defineModule } from '../module.js';
import { createMenuLoaders } from './menu.loaders.js';
import { menuResolvers } from './menu.resolvers.js';
import { createMenuService } from './menu.service.js';
import { menuManagementResolvers } from './menu-management.resolvers.js';
import { createMenuManagementService } from './menu-management.service.js';
import { createMenuRecipeLoaders } from './menu-recipe.loaders.js';

export const menuModule = defineModule({
  name: 'menu',
  resolvers: [menuResolvers, menuManagementResolvers],
  createServices: ({ prisma }) => ({ menu: createMenuService({ prisma }), menuManagement: createMenuManagementService({ prisma }) }),
  createLoaders: (prisma) => ({ ...createMenuLoaders(prisma), ...createMenuRecipeLoaders(prisma) }),
  owners: {
    MenuCategory: 'menuCategoryById',
    MenuItem: 'menuItemById',
  },
});
