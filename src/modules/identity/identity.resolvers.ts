import { NotFoundError } from '../../errors.js';
import type { Resolvers } from '../../generated/graphql.js';

/**
 * Users returned by login/refreshSession: the request is anonymous, yet the caller just proved to be
 * this user, so the payload shows them what `me` would.
 */
const signedIn = new WeakSet<object>();
const asSignedIn = async <T extends { user: object }>(session: Promise<T>): Promise<T> => {
  const value = await session;
  signedIn.add(value.user);
  return value;
};

export const identityResolvers: Resolvers = {
  Query: {
    me: async (_parent, _args, { viewer, loaders }) => {
      const user = viewer.kind === 'user' ? await loaders.userById.load(viewer.userId) : null;
      if (!user) throw new NotFoundError('User', viewer.kind === 'user' ? viewer.userId : 'me');
      return user;
    },
  },
  Mutation: {
    login: (_parent, { email, password }, { services, scope }) => asSignedIn(services.identity.login(email, password, scope)),
    refreshSession: (_parent, { refreshToken }, { services, scope }) => asSignedIn(services.identity.refresh(refreshToken, scope)),
    logout: (_parent, { refreshToken }, { services, scope }) => services.identity.logout(refreshToken, scope),
  },
  User: {
    // A user is visible to themselves, to platform admins, and to members of a shared restaurant.
    __resolveReference: async ({ id }, { loaders, access }) => {
      const [user, memberships, visible] = await Promise.all([
        loaders.userById.load(id),
        loaders.membershipsByUserId.load(id),
        access.visibleRestaurantIds(),
      ]);
      if (!user) return null;
      const self = access.isUser(id);
      const shares = visible === null || memberships.some((membership) => visible.includes(membership.restaurantId));
      return self || shares ? user : null;
    },
    // Colleagues see only the restaurants they share: where else someone works is theirs to tell.
    memberships: async (user, _args, { loaders, access }) => {
      const [memberships, visible] = await Promise.all([loaders.membershipsByUserId.load(user.id), access.visibleRestaurantIds()]);
      if (access.isUser(user.id) || signedIn.has(user) || visible === null) return memberships;
      return memberships.filter((membership) => visible.includes(membership.restaurantId));
    },
  },
  Membership: {
    restaurant: async (membership, _args, { loaders }) => {
      const restaurant = await loaders.restaurantById.load(membership.restaurantId);
      if (!restaurant) throw new NotFoundError('Restaurant', membership.restaurantId);
      return restaurant;
    },
  },
};
