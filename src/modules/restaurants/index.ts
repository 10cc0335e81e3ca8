import { defineModule } from '../module.js';
import { createRestaurantLoaders } from './restaurants.loaders.js';
import { restaurantsResolvers } from './restaurants.resolvers.js';
import { createRestaurantsService } from './restaurants.service.js';

export const restaurantsModule = defineModule({
  name: 'restaurants',
  resolvers: [restaurantsResolvers],
  createServices: ({ prisma }) => ({ restaurants: createRestaurantsService({ prisma }) }),
  createLoaders: createRestaurantLoaders,
  owners: { Restaurant: 'restaurantById' },
});
