import { defineModule } from '../module.js';
import { createIdentityLoaders } from './identity.loaders.js';
import { identityResolvers } from './identity.resolvers.js';
import { createIdentityService } from './identity.service.js';

export const identityModule = defineModule({
  name: 'identity',
  resolvers: [identityResolvers],
  createServices: ({ prisma, accessTokens, config }) => ({
    identity: createIdentityService({ prisma, accessTokens, refreshTokenTtlDays: config.auth.refreshTokenTtlDays }),
  }),
  createLoaders: createIdentityLoaders,
  // The signed-in user's own account and memberships.
  tenancy: { 'Query.me': 'viewer' },
});
