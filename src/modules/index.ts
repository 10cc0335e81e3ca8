import type DataLoader from 'dataloader';
import type { GraphQLContext } from '../context.js';
import type { OwnerLookup } from '../directives/auth.directive.js';
import type { Db } from '../infra/db.js';
import type { Metrics } from '../infra/metrics.js';
import { analyticsModule } from './analytics/index.js';
import { apiKeysModule } from './api-keys/index.js';
import { assistantModule } from './assistant/index.js';
import { auditModule } from './audit/index.js';
import { identityModule } from './identity/index.js';
import { inventoryModule } from './inventory/index.js';
import { menuModule } from './menu/index.js';
import type { ModuleDeps, MutationMetric, ServioModule, TenancyDeclaration } from './module.js';
import { ordersModule } from './orders/index.js';
import { restaurantsModule } from './restaurants/index.js';
import { tasksModule } from './tasks/index.js';
import { timeClockModule } from './time-clock/index.js';

/**
 * The one list of domain modules. Adding a module is its folder plus one line here; a module whose
 * services read another's comes after it.
 */
export const modules = [
  restaurantsModule,
  menuModule,
  inventoryModule,
  identityModule,
  apiKeysModule,
  ordersModule,
  auditModule,
  analyticsModule,
  tasksModule,
  timeClockModule,
  assistantModule,
] as const;

type Module = (typeof modules)[number];
type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;
type ServicesOf<M> = M extends { createServices?: (deps: ModuleDeps) => infer S } ? S : never;
type LoadersOf<M> = M extends { createLoaders?: (prisma: Db) => infer L } ? L : never;

export type ModuleServices = UnionToIntersection<ServicesOf<Module>>;
export type Loaders = UnionToIntersection<LoadersOf<Module>>;

// biome-ignore lint/suspicious/noExplicitAny: each module's owner lookups read its own loaders, a part of every request's.
const registry: readonly ServioModule<object, any>[] = modules;

/** Every module's services, built once per server in list order. */
export function createModuleServices(deps: Omit<ModuleDeps, 'services'>): ModuleServices {
  const services: Record<string, unknown> = {};
  for (const module of registry) Object.assign(services, module.createServices?.({ ...deps, services }));
  return services as ModuleServices;
}

/** Every module's DataLoaders, created fresh for each request. */
export function createLoaders(prisma: Db): Loaders {
  return Object.assign({}, ...registry.map((module) => module.createLoaders?.(prisma) ?? {})) as Loaders;
}

export const moduleResolvers = registry.flatMap((module) => module.resolvers);

type RowLoader = DataLoader<string, { id: string; restaurantId?: string } | null>;

/**
 * Entity type → the restaurant owning an object of it, read through the request's loader, and a way
 * to forget that read (a mutation's result is read after its write). A type claimed twice is a wiring mistake.
 */
export const ownerLookups: Readonly<Record<string, OwnerLookup>> = Object.fromEntries(
  Object.entries(mergeOnce((module) => module.owners, 'owner lookup')).map(([type, name]) => {
    const loaderOf = (context: GraphQLContext) => (context.loaders as unknown as Record<string, RowLoader>)[name] as RowLoader;
    const lookup: OwnerLookup = {
      async owner(id, context) {
        const row = await loaderOf(context).load(id);
        return row ? (row.restaurantId ?? row.id) : null;
      },
      forget(id, context) {
        loaderOf(context).clear(id);
      },
    };
    return [type, lookup];
  }),
);

/** Types whose rows carry their restaurant: those with owner lookups, and those declared so. */
export const restaurantRowTypes: readonly string[] = [
  ...Object.keys(ownerLookups),
  ...registry.flatMap((module) => module.restaurantRows ?? []),
];

/** Field coordinate → tenancy declaration, from every module. */
export const tenancyDeclarations: Readonly<Record<string, TenancyDeclaration>> = mergeOnce((module) => module.tenancy, 'tenancy');

/** Root mutation → business counter, for one server's metrics. */
export function createMutationMetrics(metrics: Metrics): Record<string, MutationMetric> {
  return Object.assign({}, ...registry.map((module) => module.createMutationMetrics?.(metrics) ?? {}));
}

function mergeOnce<T>(part: (module: ServioModule) => Record<string, T> | undefined, what: string): Record<string, T> {
  const merged: Record<string, T> = {};
  for (const module of registry) {
    for (const [key, value] of Object.entries(part(module) ?? {})) {
      if (key in merged) throw new Error(`Two modules declare the ${what} of ${key}; module "${module.name}" is the second.`);
      merged[key] = value;
    }
  }
  return merged;
}
