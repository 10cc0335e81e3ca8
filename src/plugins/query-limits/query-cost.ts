import {
  type DocumentNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  ValidationContext,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { type ComplexityEstimator, createComplexityRule } from 'graphql-query-complexity';
import { ErrorCode } from '../../errors.js';
import { QueryLimitError } from './query-limit-error.js';

export interface QueryCostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  /** The operation that will run; the document's other operations cost nothing. */
  operation: OperationDefinitionNode;
  variables: Record<string, unknown> | undefined;
  estimator: ComplexityEstimator;
  /** Limit on the selections visited (fragments inlined) before giving up. Default 10,000. */
  maxSelections?: number;
  /** The cost limit, only for the message when `maxSelections` is reached. */
  maxCost: number;
}

/** graphql-query-complexity's own error when it reaches `maxQueryNodes`. */
const tooManyNodesMessage = 'Query exceeds the maximum allowed number of nodes.';

/**
 * The cost of the operation that will run, with its variables, by graphql-query-complexity.
 * Throws the estimator's QueryLimitError (LIST_SIZE_LIMIT_EXCEEDED), and COST_LIMIT_EXCEEDED when
 * the operation inlines to more than `maxSelections` selections (fragments spread into fragments):
 * its cost is then not worth computing exactly.
 */
export function estimateQueryCost(input: QueryCostInput): number {
  const maxSelections = input.maxSelections ?? 10_000;
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [input.operation, ...input.document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)],
  };
  const typeInfo = new TypeInfo(input.schema);
  // Bad variables or arguments are reported by execution (BAD_USER_INPUT), which then skips what
  // they affect; the estimate skips the same fields.
  const context = new ValidationContext(input.schema, document, typeInfo, () => {});
  let cost = 0;
  const visitor = createComplexityRule({
    maximumComplexity: Number.POSITIVE_INFINITY,
    estimators: [input.estimator],
    variables: input.variables ?? {},
    maxQueryNodes: maxSelections,
    onComplete: (complexity) => {
      cost = complexity;
    },
  })(context);
  try {
    visit(document, visitWithTypeInfo(typeInfo, visitor));
  } catch (error) {
    if (!(error instanceof Error) || error.message !== tooManyNodesMessage) throw error;
    throw new QueryLimitError(
      ErrorCode.COST_LIMIT_EXCEEDED,
      `Query cost exceeds the maximum of ${input.maxCost}: the estimate was stopped after ${maxSelections} selections (fragments inlined).`,
      { measured: maxSelections, limit: input.maxCost },
    );
  }
  // Nested lists multiply: keep the figure a finite JSON number.
  return Number.isFinite(cost) ? cost : Number.MAX_SAFE_INTEGER;
}
