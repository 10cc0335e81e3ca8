import type { Resolvers } from '../../generated/graphql.js';

export const restaurantsResolvers: Resolvers = {
  Query: {
    restaurant: (_parent, { slug }, { loaders }) => loaders.restaurantBySlug.load(slug),
  },
  Restaurant: {
    __resolveReference: ({ id }, { loaders }) => loaders.restaurantById.load(id),
  },
};
