import type { Db } from './infra/db.js';
import { createApiKeyLoaders } from './modules/api-keys/api-keys.loaders.js';
import { createIdentityLoaders } from './modules/identity/identity.loaders.js';
import { createInventoryLoaders } from './modules/inventory/inventory.loaders.js';
import { createMenuLoaders } from './modules/menu/menu.loaders.js';
import { createMenuRecipeLoaders } from './modules/menu/menu-recipe.loaders.js';
import { createOrderLoaders } from './modules/orders/orders.loaders.js';
import { createRestaurantLoaders } from './modules/restaurants/restaurants.loaders.js';
import { createTaskLoaders } from './modules/tasks/tasks.loaders.js';
import { createTimeClockLoaders } from './modules/time-clock/time-clock.loaders.js';

export type Loaders = ReturnType<typeof createLoaders>;

/** Every module's DataLoaders, created fresh for each request: a per-request memo, never shared. */
export function createLoaders(prisma: Db) {
  return {
    ...createRestaurantLoaders(prisma),
    ...createMenuLoaders(prisma),
    ...createMenuRecipeLoaders(prisma),
    ...createInventoryLoaders(prisma),
    ...createIdentityLoaders(prisma),
    ...createApiKeyLoaders(prisma),
    ...createOrderLoaders(prisma),
    ...createTaskLoaders(prisma),
    ...createTimeClockLoaders(prisma),
  };
}
