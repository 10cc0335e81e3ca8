import type { AccessTokens } from '../auth/access-tokens.js';
import type { Config } from '../config.js';
import type { EventBus } from '../events/event-bus.js';
import type { Resolvers } from '../generated/graphql.js';
import type { CacheService } from '../infra/cache-service.js';
import type { Db } from '../infra/db.js';
import type { ExternalServices } from '../infra/external-services.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';

/** What a module's service factory may use: the process's shared parts, built once. */
export interface ModuleDeps {
  prisma: Db;
  events: EventBus;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  externalServices: ExternalServices;
  accessTokens: AccessTokens;
  /** Application-data cache (Redis when configured). */
  cache: CacheService;
  /** The services of the modules listed before this one (see `requireServices`). */
  services: Readonly<Record<string, unknown>>;
}

/**
 * How a guarded field that is not restaurant-scoped by an argument, an owned id or its parent
 * finds its tenant: `viewer` — the resolver reads only the signed-in caller's own data (`me`);
 * `service` — the service checks the restaurant itself (the role depends on the input).
 */
export type TenancyDeclaration = 'viewer' | 'service';

/** Counts a business event from a successful root mutation's result row. */
export type MutationMetric = (row: Record<string, unknown>) => void;

/**
 * A domain module's contract: everything the server needs from it, declared in its folder.
 * `src/modules/index.ts` lists the modules; schema, context, services and loaders derive from it.
 */
export interface ServioModule<Services extends object = object, Loaders extends object = object> {
  name: string;
  resolvers: Resolvers[];
  /** Built once per server. */
  createServices?: (deps: ModuleDeps) => Services;
  /** Built per request: a request's memo, never shared. */
  createLoaders?: (prisma: Db) => Loaders;
  /**
   * Entity type name → the loader of its rows by id; a row's owner is its `restaurantId` (a
   * Restaurant's, its own id). Fields taking such an id are scoped by it.
   */
  owners?: Record<string, keyof Loaders & string>;
  /** Types without an owner lookup whose rows still carry their `restaurantId`: their guarded fields are scoped by it. */
  restaurantRows?: readonly string[];
  /** Field coordinate (`Query.me`) → how a guarded field without another tenant source is scoped. */
  tenancy?: Record<string, TenancyDeclaration>;
  /** Root mutation name → its business counter, built once per server (state such as de-duplication lives in it). */
  createMutationMetrics?: (metrics: Metrics) => Record<string, MutationMetric>;
}

/** Declares a module, keeping its service and loader types for the registry. */
export function defineModule<S extends object = object, L extends object = object>(module: ServioModule<S, L>): ServioModule<S, L> {
  return module;
}

/** The services a module reads from modules listed before it; a wrong order fails at start-up. */
export function requireServices<T extends object>(built: Readonly<Record<string, unknown>>, names: ReadonlyArray<keyof T & string>): T {
  const missing = names.filter((name) => built[name] === undefined);
  if (missing.length) throw new Error(`Module services missing (list their modules earlier): ${missing.join(', ')}`);
  return built as T;
}
