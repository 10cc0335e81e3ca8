import { type GraphQLFieldResolver, type GraphQLSchema, isUnionType } from 'graphql';
import { ValidationError } from '../errors.js';

/**
 * Refuses malformed `_entities` representations before any reference resolver sees them. Every
 * entity here is keyed by a string `id`; anything else would reach a DataLoader or a type lookup
 * and fail as a bug (INTERNAL_SERVER_ERROR) instead of as the caller's mistake.
 */
export function guardEntityRepresentations(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  const union = schema.getType('_Entity');
  if (!field?.resolve || !isUnionType(union)) return schema;
  const entityTypes = new Set(union.getTypes().map((type) => type.name));
  const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve;
  field.resolve = (source, args: { representations: unknown[] }, context, info) => {
    for (const [index, representation] of args.representations.entries()) {
      const { __typename, id } = (representation ?? {}) as Record<string, unknown>;
      const field = `representations.${index}`;
      if (typeof __typename !== 'string' || !entityTypes.has(__typename)) {
        throw new ValidationError(field, `${field}.__typename must name an entity of this subgraph (${[...entityTypes].join(', ')}).`);
      }
      if (typeof id !== 'string' || id === '') throw new ValidationError(field, `${field}.id must be a non-empty string.`);
    }
    return resolve(source, args, context, info);
  };
  return schema;
}
