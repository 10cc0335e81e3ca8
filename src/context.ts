import type { FastifyBaseLogger } from 'fastify';
import type { Access } from './auth/access.js';
import type { RequestScope } from './auth/request-scope.js';
import type { Viewer } from './auth/viewer.js';
import type { EventBus } from './events/event-bus.js';
import type { Loaders, ModuleServices } from './modules/index.js';

/** Every module's services, and the event bus the subscriptions read. */
export type Services = ModuleServices & { events: EventBus };

/** What every resolver receives. Built per request; never holds the raw HTTP request. */
export interface GraphQLContext {
  requestId: string;
  /** The request's logger: every line carries the request id. */
  log: FastifyBaseLogger;
  /** The client's address (behind TRUST_PROXY, the forwarded one). */
  ip: string;
  viewer: Viewer;
  /** HTTP runs queries and mutations; WebSocket runs subscriptions (see transport.plugin.ts). */
  transport: 'http' | 'websocket';
  access: Access;
  /** viewer + request id + ip, for services that write the audit trail. */
  scope: RequestScope;
  loaders: Loaders;
  services: Services;
}
