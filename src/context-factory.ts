import type { FastifyBaseLogger } from 'fastify';
import { createAccess, type UserAccess } from './auth/access.js';
import type { Viewer } from './auth/viewer.js';
import type { GraphQLContext, Services } from './context.js';
import type { Db } from './infra/db.js';
import { createLoaders } from './modules/index.js';

export interface ContextRequest {
  requestId: string;
  log: FastifyBaseLogger;
  ip: string;
  viewer: Viewer;
  transport: 'http' | 'websocket';
  /** The roles read at authentication, reused rather than read twice in one request. */
  userAccess?: UserAccess | null;
}

/** Builds the per-operation context, the same for HTTP requests and WebSocket subscriptions. */
export function createContextFactory(deps: { prisma: Db; services: Services }) {
  return ({ requestId, log, ip, viewer, transport, userAccess }: ContextRequest): GraphQLContext => {
    const loaders = createLoaders(deps.prisma);
    if (viewer.kind === 'user' && userAccess) loaders.userAccessById.prime(viewer.userId, userAccess);
    return {
      requestId,
      log,
      ip,
      viewer,
      transport,
      access: createAccess(viewer, (userId) => loaders.userAccessById.load(userId)),
      scope: { viewer, requestId, ip, writes: new Set() },
      loaders,
      services: deps.services,
    };
  };
}
