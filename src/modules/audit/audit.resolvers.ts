import { JSONResolver } from 'graphql-scalars';
import type { Resolvers } from '../../generated/graphql.js';

export const auditResolvers: Resolvers = {
  JSON: JSONResolver,
  Query: {
    auditLogs: (_parent, { restaurantId, ...filters }, { services }) => services.auditLogs.list(restaurantId, filters),
  },
  AuditLog: {
    actor: (log, _args, { loaders }) => (log.actorId ? loaders.userById.load(log.actorId) : null),
    actorApiKeyPrefix: async (log, _args, { loaders }) =>
      log.actorApiKeyId ? ((await loaders.apiKeyById.load(log.actorApiKeyId))?.prefix ?? null) : null,
  },
};
