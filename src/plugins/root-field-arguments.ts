import { type GraphQLSchema, getArgumentValues, getVariableValues, Kind, type OperationDefinitionNode } from 'graphql';

/**
 * The arguments of an operation's first root field, coerced as graphql-js will execute them; undefined
 * when there is no such field or its variables do not coerce (execution then reports that itself). For
 * plugins that need them before execution, without a per-field hook that would run for every field.
 */
export function firstRootFieldArguments(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const field = operation.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
  const rootType = schema.getRootType(operation.operation);
  const definition = field && rootType?.getFields()[field.name.value];
  if (!field || !definition) return undefined;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return undefined;
  try {
    return getArgumentValues(definition, field, coerced.coerced);
  } catch {
    return undefined;
  }
}
