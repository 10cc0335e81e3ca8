import type { Resolvers } from '../../generated/graphql.js';
import { scopeNameOf } from './api-key-scopes.js';

export const apiKeysResolvers: Resolvers = {
  Query: {
    apiKeys: (_parent, { restaurantId }, { services }) => services.apiKeys.listForRestaurant(restaurantId),
  },
  Mutation: {
    createApiKey: (_parent, { input }, { services, scope }) => services.apiKeys.create(input, scope),
    revokeApiKey: (_parent, { id }, { services, scope }) => services.apiKeys.revoke(id, scope),
  },
  ApiKey: {
    scopes: (apiKey) => apiKey.scopes.flatMap((scope) => scopeNameOf(scope) ?? []),
  },
};
