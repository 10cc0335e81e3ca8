import type { GraphQLSchema } from 'graphql';

export type SchemaTransformer = (schema: GraphQLSchema) => GraphQLSchema;

/**
 * Schema directive transformers, applied in this order to the built subgraph schema.
 * Each wraps field resolvers (check first, then call the original) via @graphql-tools' mapSchema.
 */
export const schemaDirectiveTransformers: SchemaTransformer[] = [];
