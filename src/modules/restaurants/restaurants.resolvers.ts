import { NotFoundError } from '../../errors.js';
import type { Resolvers } from '../../generated/graphql.js';
import { settingsOf } from './restaurants.service.js';

export const restaurantsResolvers: Resolvers = {
  Query: {
    restaurant: (_parent, { slug }, { loaders }) => loaders.restaurantBySlug.load(slug),
  },
  Mutation: {
    updateRestaurant: (_parent, { input }, { services, scope }) => services.restaurants.update(input, scope),
    addMember: (_parent, { input }, { services, scope }) => services.restaurants.addMember(input, scope),
    changeMemberRole: (_parent, { input }, { services, scope }) => services.restaurants.changeRole(input, scope),
    removeMember: (_parent, { restaurantId, userId }, { services, scope }) =>
      services.restaurants.removeMember(restaurantId, userId, scope),
  },
  Restaurant: {
    __resolveReference: ({ id }, { loaders }) => loaders.restaurantById.load(id),
    settings: (restaurant) => ({
      allowNegativeStock: restaurant.allowNegativeStock,
      openingHours: settingsOf(restaurant)?.openingHours ?? null,
    }),
    members: (restaurant, _args, { loaders }) => loaders.membershipsByRestaurantId.load(restaurant.id),
  },
  Membership: {
    user: async (membership, _args, { loaders }) => {
      const user = await loaders.userById.load(membership.userId);
      if (!user) throw new NotFoundError('User', membership.userId);
      return user;
    },
  },
};
