import type { GraphQLSchema } from 'graphql';

export type SchemaTransformer = (schema: GraphQLSchema) => GraphQLSchema;
