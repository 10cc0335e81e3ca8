import type { Db } from '../../infra/db.js';
import { createMenuCategoriesService } from './menu-categories.service.js';
import { createMenuItemsService } from './menu-items.service.js';
import { createMenuRecipesService } from './menu-recipes.service.js';

/**
 * Menu management for the restaurant's team: categories, items (with availability and order) and
 * recipes. Every change is one transaction with its audit row; the public menu reads the same rows.
 */
export function createMenuManagementService(deps: { prisma: Db }) {
  return {
    categories: createMenuCategoriesService(deps),
    items: createMenuItemsService(deps),
    recipes: createMenuRecipesService(deps),
  };
}

export type MenuManagementService = ReturnType<typeof createMenuManagementService>;
