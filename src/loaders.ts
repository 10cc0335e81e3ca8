import type { Prisma } from './infra/db.js';
import { createMenuLoaders } from './modules/menu/menu.loaders.js';
import { createRestaurantLoaders } from './modules/restaurants/restaurants.loaders.js';

export type Loaders = ReturnType<typeof createLoaders>;

/** Every module's DataLoaders, created fresh for each request: a per-request memo, never shared. */
export function createLoaders(prisma: Prisma) {
  return {
    ...createRestaurantLoaders(prisma),
    ...createMenuLoaders(prisma),
  };
}
