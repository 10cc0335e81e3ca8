import { createUserAccessCache } from '../../auth/user-access-cache.js';
import { findUserAccess } from '../identity/identity.loaders.js';
import { defineModule } from '../module.js';
import { createRestaurantLoaders } from './restaurants.loaders.js';
import { restaurantsResolvers } from './restaurants.resolvers.js';
import { createRestaurantsService } from './restaurants.service.js';

export const restaurantsModule = defineModule({
  name: 'restaurants',
  resolvers: [restaurantsResolvers],
  // Memberships live here, so the permission cache they invalidate does too (the authenticator reads it).
  createServices: ({ prisma, cache, logger }) => {
    const userAccess = createUserAccessCache({
      cache,
      load: (userIds) => findUserAccess(prisma, userIds),
      onError: (error) => logger.warn({ component: 'user-access-cache', err: error }, 'permission cache unavailable'),
    });
    return { userAccess, restaurants: createRestaurantsService({ prisma, userAccess }) };
  },
  createLoaders: createRestaurantLoaders,
  owners: { Restaurant: 'restaurantById' },
});
