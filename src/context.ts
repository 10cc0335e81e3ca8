import type { FastifyBaseLogger } from 'fastify';
import type { Access } from './auth/access.js';
import type { RequestScope } from './auth/request-scope.js';
import type { Viewer } from './auth/viewer.js';
import type { Loaders } from './loaders.js';
import type { Services } from './services.js';

/** What every resolver receives. Built per request; never holds the raw HTTP request. */
export interface GraphQLContext {
  requestId: string;
  /** The request's logger: every line carries the request id. */
  log: FastifyBaseLogger;
  /** The client's address (behind TRUST_PROXY, the forwarded one). */
  ip: string;
  viewer: Viewer;
  access: Access;
  /** viewer + request id + ip, for services that write the audit trail. */
  scope: RequestScope;
  loaders: Loaders;
  services: Services;
}
