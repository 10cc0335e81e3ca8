import { type ArgumentNode, Kind, type OperationDefinitionNode, valueFromASTUntyped } from 'graphql';
import { restaurantIdArgument } from '../../auth/restaurant-argument.js';
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

function restaurantsNamedBy(field: string, argumentNodes: readonly ArgumentNode[], variables: Record<string, unknown>): string[] {
  const args = Object.fromEntries(argumentNodes.map((arg) => [arg.name.value, valueFromASTUntyped(arg.value, variables) as unknown]));
  const restaurantId = restaurantIdArgument(args);
  if (restaurantId) return [restaurantId];
  return field === 'restaurant' && typeof args.slug === 'string' ? [`slug:${args.slug}`] : [];
}
