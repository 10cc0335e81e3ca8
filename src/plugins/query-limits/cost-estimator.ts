import {
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  isIntrospectionType,
  isListType,
  isObjectType,
} from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '../../errors.js';
import { QueryLimitError } from './query-limit-error.js';

/** Arguments that bound how many elements a field returns, in order of preference. */
const sizeArguments = ['first', 'last', 'limit'] as const;
/** The list fields of a Relay connection that hold one entry per element. */
const sizedConnectionFields = new Set(['edges', 'nodes']);

export interface CostEstimatorOptions {
  /** Largest `first`/`last`/`limit` a client may ask for; more is LIST_SIZE_LIMIT_EXCEEDED. */
  maxListSize: number;
  /** Elements assumed for a list with no size argument and no `@cost(assumedSize)`. Default 10. */
  defaultListSize?: number;
}

type AnyField = GraphQLField<unknown, unknown>;
interface FieldCost {
  weight: number;
  assumedSize: number | undefined;
}

// Field definitions never change: each one's @cost is read once.
const fieldCosts = new WeakMap<AnyField, FieldCost>();
const connectionTypes = new WeakMap<GraphQLNamedType, boolean>();

/**
 * The graphql-query-complexity estimator: a field costs its `@cost(weight)` (default 1) plus the
 * cost of its selection, which for a list is multiplied by its number of elements: its
 * `first`/`last`/`limit` argument, else the number of `representations` for Federation's
 * `_entities`, else `@cost(assumedSize)`, else `defaultListSize`. A Relay connection (a type with
 * `pageInfo` and `edges` or `nodes`) multiplies only its edges/nodes that way; `pageInfo` and the
 * like are paid once. Introspection costs nothing: its size is bounded by the schema, not the data.
 * Throws LIST_SIZE_LIMIT_EXCEEDED ({ measured, limit, field }) for a size outside 0..maxListSize.
 *
 * Make one per estimate: it carries the cost of a connection's edges up to the connection field
 * (graphql-query-complexity estimates children before their parent).
 */
export function createCostEstimator(schema: GraphQLSchema, options: CostEstimatorOptions): ComplexityEstimator {
  const costDirective = schema.getDirective('cost');
  const defaultListSize = options.defaultListSize ?? 10;
  /** Cost of one element of each connection type's edges/nodes, until its connection field takes it. */
  const elementCosts = new Map<GraphQLNamedType, number>();

  function costOf(field: AnyField): FieldCost {
    let cost = fieldCosts.get(field);
    if (!cost) {
      const values = costDirective && field.astNode ? getDirectiveValues(costDirective, field.astNode) : undefined;
      cost = {
        weight: typeof values?.weight === 'number' ? values.weight : 1,
        assumedSize: typeof values?.assumedSize === 'number' ? values.assumedSize : undefined,
      };
      fieldCosts.set(field, cost);
    }
    return cost;
  }

  return ({ type, field, args, childComplexity }) => {
    if (field.name.startsWith('__') || isIntrospectionType(type)) return 0;
    const { weight, assumedSize } = costOf(field);
    const requested = requestedSize(field, args, `${type.name}.${field.name}`, options.maxListSize);
    const isList = isListType(getNullableType(field.type));

    if (isConnection(type) && isList && sizedConnectionFields.has(field.name)) {
      // Counted here as one element; the connection field multiplies it by its page size.
      elementCosts.set(type, (elementCosts.get(type) ?? 0) + childComplexity);
      return weight + childComplexity;
    }
    const namedType = getNamedType(field.type);
    if (!isList && isConnection(namedType)) {
      const elementCost = elementCosts.get(namedType) ?? 0;
      elementCosts.delete(namedType);
      const elements = requested ?? assumedSize ?? defaultListSize;
      return weight + childComplexity + (elements - 1) * elementCost;
    }
    if (requested !== undefined) return weight + requested * childComplexity;
    if (!isList) return weight + childComplexity;
    if (field.name === '_entities' && Array.isArray(args.representations)) return weight + args.representations.length * childComplexity;
    return weight + (assumedSize ?? defaultListSize) * childComplexity;
  };
}

function isConnection(type: GraphQLNamedType): boolean {
  let connection = connectionTypes.get(type);
  if (connection === undefined) {
    const fields = isObjectType(type) ? type.getFields() : {};
    connection =
      'pageInfo' in fields &&
      [...sizedConnectionFields].some((name) => {
        const field = fields[name];
        return field !== undefined && isListType(getNullableType(field.type));
      });
    connectionTypes.set(type, connection);
  }
  return connection;
}

/** The field's `first`/`last`/`limit` value (variables already resolved), checked against the maximum. */
function requestedSize(field: AnyField, args: Record<string, unknown>, coordinate: string, maxListSize: number): number | undefined {
  let requested: number | undefined;
  for (const name of sizeArguments) {
    const value = args[name];
    if (typeof value !== 'number' || !field.args.some((argument) => argument.name === name)) continue;
    if (value < 0 || value > maxListSize) {
      throw new QueryLimitError(
        ErrorCode.LIST_SIZE_LIMIT_EXCEEDED,
        `\`${name}: ${value}\` on ${coordinate} is outside the allowed range 0 to ${maxListSize}.`,
        { measured: value, limit: maxListSize, field: coordinate },
      );
    }
    requested ??= value;
  }
  return requested;
}
