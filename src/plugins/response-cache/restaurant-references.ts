import { type ArgumentNode, Kind, type OperationDefinitionNode, type ValueNode, valueFromASTUntyped } from 'graphql';
import { anyRestaurant } from './cache-generations.js';

/**
 * The generation scopes an operation's cached response depends on: the restaurants its root fields
 * name (a `restaurantId` argument, `input.restaurantId`, or `restaurant(slug:)`), plus "all" as soon
 * as one root field names none (`me`, `_entities`…), since that data may belong to any restaurant.
 */
export function generationScopes(operation: OperationDefinitionNode, variables: Record<string, unknown>): string[] {
  const scopes = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) {
      scopes.add(anyRestaurant);
      continue;
    }
    const named = restaurantsNamedBy(selection.name.value, selection.arguments ?? [], variables);
    if (named.length === 0) scopes.add(anyRestaurant);
    for (const scope of named) scopes.add(scope);
  }
  return [...scopes].sort();
}

function restaurantsNamedBy(field: string, args: readonly ArgumentNode[], variables: Record<string, unknown>): string[] {
  const value = (node: ValueNode) => valueFromASTUntyped(node, variables) as unknown;
  const named: string[] = [];
  for (const arg of args) {
    const argument = value(arg.value);
    if (arg.name.value === 'restaurantId' && typeof argument === 'string') named.push(argument);
    if (arg.name.value === 'slug' && field === 'restaurant' && typeof argument === 'string') named.push(`slug:${argument}`);
    if (arg.name.value === 'input' && argument && typeof argument === 'object') {
      const restaurantId = (argument as { restaurantId?: unknown }).restaurantId;
      if (typeof restaurantId === 'string') named.push(restaurantId);
    }
  }
  return named;
}
