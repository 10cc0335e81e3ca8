import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { mergeResolvers } from '@graphql-tools/merge';
import { type DocumentNode, type GraphQLSchema, parse } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import type { Config } from './config.js';
import { authDirectiveTransformer } from './directives/auth.directive.js';
import { rateLimitDirectiveTransformer } from './directives/rate-limit.directive.js';
import { guardEntityRepresentations } from './federation/entity-representations.js';
import type { Resolvers } from './generated/graphql.js';
import type { Redis } from './infra/redis.js';
import { moduleResolvers, ownerLookups, restaurantRowTypes, tenancyDeclarations } from './modules/index.js';
import { type ResolverTimer, timeResolvers } from './plugins/resolver-timing.js';
import { apiVersion } from './version.js';

const schemaDir = fileURLToPath(new URL('../schema/', import.meta.url));

/** All of schema/*.graphql as one document; the SDL is the source of truth for the API. */
export function loadTypeDefs(): DocumentNode {
  const files = readdirSync(schemaDir)
    .filter((file) => file.endsWith('.graphql'))
    .sort();
  return parse(files.map((file) => readFileSync(`${schemaDir}${file}`, 'utf8')).join('\n'));
}

const baseResolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Query: { apiVersion: () => apiVersion },
  Mutation: { ping: () => true },
};

/**
 * The federated subgraph schema: SDL + every module's resolvers (timed by `timeResolver`, when given), then
 * the directive transforms.
 */
export function createSchema(deps: { rateLimits: Config['rateLimits']; redis: Redis | null; timeResolver?: ResolverTimer }): GraphQLSchema {
  const resolvers = mergeResolvers([baseResolvers, ...moduleResolvers]);
  // biome-ignore lint/suspicious/noExplicitAny: buildSubgraphSchema's resolver map type is looser than codegen's.
  const built = guardEntityRepresentations(buildSubgraphSchema({ typeDefs: loadTypeDefs(), resolvers: resolvers as any }));
  // Innermost: a resolver's time is its own, not its access check's or rate limit's.
  const subgraph = deps.timeResolver ? timeResolvers(built, deps.timeResolver) : built;
  // Order matters: the last transformer applied runs first. Rate limits wrap access checks, so
  // a flood of denied calls still spends the caller's budget.
  const transformers = [
    authDirectiveTransformer({ ownerLookups, restaurantRowTypes, declarations: tenancyDeclarations }),
    rateLimitDirectiveTransformer({ tiers: deps.rateLimits, redis: deps.redis }),
  ];
  return transformers.reduce((schema, transform) => transform(schema), subgraph);
}
