import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../../context.js';
import { ErrorCode } from '../../errors.js';
import { createCostEstimator } from './cost-estimator.js';
import { assertDocumentSize } from './document-size.js';
import type { QueryLimits } from './index.js';
import { estimateQueryCost } from './query-cost.js';
import { QueryLimitError } from './query-limit-error.js';
import { assertTokenCount } from './token-limit.js';

/** Parsed and validated in place of a rejected document: trivial, and cached after the first time. */
const placeholderDocument = '{ __typename }';

/**
 * The query limits that need more than a validation rule sees:
 * - before parsing, the document's size in bytes (DOCUMENT_TOO_LARGE) and its tokens
 *   (TOKEN_LIMIT_EXCEEDED), so a huge document is rejected without building or validating its AST;
 * - once the operation and its variables are known, its cost (COST_LIMIT_EXCEEDED) and list sizes
 *   (LIST_SIZE_LIMIT_EXCEEDED); every response that got that far carries
 *   `extensions.cost = { requestedQueryCost, maximumAvailable }`;
 * - the codes of the limit validation rules, which Apollo's validation error would replace.
 */
export function createQueryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<GraphQLContext> {
  /** The document's first size or token limit exceeded, if any. */
  function checkSource(source: string): QueryLimitError | undefined {
    try {
      assertDocumentSize(source, limits.maxDocumentBytes);
      assertTokenCount(source, limits.maxTokens);
      return undefined;
    } catch (error) {
      if (error instanceof QueryLimitError) return error;
      throw error;
    }
  }

  return {
    async requestDidStart({ request }) {
      // Apollo answers any error thrown before it parses (didResolveSource, parsingDidStart) with
      // a bare 500, whatever its status. So a document over the size or token limit is swapped for
      // a trivial one here, the last point where Apollo reads the query text, and its rejection is
      // thrown at didResolveOperation, which Apollo reports like any request error (400).
      let rejection = typeof request.query === 'string' ? checkSource(request.query) : undefined;
      if (rejection) swapForPlaceholder(request);
      let requestedQueryCost: number | undefined;

      return {
        async didResolveSource({ source }) {
          // A persisted query's text comes from the cache: checked here, it has to be parsed anyway.
          rejection ??= checkSource(source);
        },

        async didResolveOperation({ schema, document, operation, request }) {
          if (rejection) throw rejection;
          // No operation to run: Apollo reports that itself next.
          if (!operation) return;
          requestedQueryCost = estimateQueryCost({
            schema,
            document,
            operation,
            variables: request.variables,
            // One per request: it carries state between the fields of one estimate.
            estimator: createCostEstimator(schema, { maxListSize: limits.maxListSize }),
            maxCost: limits.maxCost,
          });
          if (requestedQueryCost <= limits.maxCost) return;
          throw new QueryLimitError(
            ErrorCode.COST_LIMIT_EXCEEDED,
            `Query cost ${requestedQueryCost} exceeds the maximum of ${limits.maxCost}.`,
            { measured: requestedQueryCost, limit: limits.maxCost },
          );
        },

        async didEncounterErrors({ errors }) {
          restoreLimitCodes(errors);
        },

        async willSendResponse({ response }) {
          if (requestedQueryCost === undefined) return;
          const cost = { requestedQueryCost, maximumAvailable: limits.maxCost };
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          result.extensions = { ...result.extensions, cost };
        },
      };
    },
  };
}

/** Also drops the automatic-persisted-query registration: the hash is the rejected document's. */
function swapForPlaceholder(request: GraphQLRequest): void {
  request.query = placeholderDocument;
  if (request.extensions?.persistedQuery) {
    const { persistedQuery: _rejected, ...extensions } = request.extensions;
    request.extensions = extensions;
  }
}

/**
 * Apollo wraps every validation error in its own, with code GRAPHQL_VALIDATION_FAILED and the
 * original as `originalError`. Put the limit's code back (errors are formatted after this hook), so
 * clients can tell a depth limit from a typo; the HTTP status stays 400.
 */
function restoreLimitCodes(errors: readonly GraphQLError[]): void {
  for (const error of errors) {
    const original = error.originalError;
    if (original instanceof QueryLimitError && original !== error) error.extensions.code = original.code;
  }
}
