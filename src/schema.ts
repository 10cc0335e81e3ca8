import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { mergeResolvers } from '@graphql-tools/merge';
import { type DocumentNode, type GraphQLSchema, parse } from 'graphql';
import { schemaDirectiveTransformers } from './directives/index.js';
import type { Resolvers } from './generated/graphql.js';
import { menuResolvers } from './modules/menu/menu.resolvers.js';
import { restaurantsResolvers } from './modules/restaurants/restaurants.resolvers.js';
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
  Query: { apiVersion: () => apiVersion },
};

/** The federated subgraph schema: SDL + every module's resolvers, then the directive transforms. */
export function createSchema(): GraphQLSchema {
  const resolvers = mergeResolvers([baseResolvers, restaurantsResolvers, menuResolvers]);
  // biome-ignore lint/suspicious/noExplicitAny: buildSubgraphSchema's resolver map type is looser than codegen's.
  const subgraph = buildSubgraphSchema({ typeDefs: loadTypeDefs(), resolvers: resolvers as any });
  return schemaDirectiveTransformers.reduce((schema, transform) => transform(schema), subgraph);
}
