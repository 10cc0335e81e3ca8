import type { Db } from './infra/db.js';
import { createApiKeyLoaders } from './modules/api-keys/api-keys.loaders.js';
import { createIdentityLoaders } from './modules/identity/identity.loaders.js';
import { createMenuLoaders } from './modules/menu/menu.loaders.js';
import { createOrderLoaders } from './modules/orders/orders.loaders.js';
import { createRestaurantLoaders } from './modules/restaurants/restaurants.loaders.js';

export type Loaders = ReturnType<typeof createLoaders>;

/** Every module's DataLoaders, created fresh for each request: a per-request memo, never shared. */
export function createLoaders(prisma: Db) {
  return {
    ...createRestaurantLoaders(prisma),
    ...createMenuLoaders(prisma),
    ...createIdentityLoaders(prisma),
    ...createApiKeyLoaders(prisma),
    ...createOrderLoaders(prisma),
  };
}
