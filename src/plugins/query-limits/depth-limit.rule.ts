import { Kind, type OperationDefinitionNode, type ValidationContext, type ValidationRule } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { ErrorCode } from '../../errors.js';
import { walkableFragments } from './fragment-graph.js';
import { QueryLimitError } from './query-limit-error.js';
import { createSelectionMeasures } from './selection-measures.js';

/**
 * graphql-depth-limit inlines every fragment spread without memo, which takes exponential time on
 * fragments that spread each other several times; past this many selections (once fragments are
 * inlined) the rule decides with its own memoized measure instead.
 */
const maxSelectionsForPackageWalk = 50_000;

/**
 * Rejects operations nested deeper than `maxDepth` with DEPTH_LIMIT_EXCEEDED ({ measured, limit }).
 * graphql-depth-limit decides, counting fragments; `__schema`/`__type` subtrees are not counted (its
 * default), so tools can introspect. The package stops counting at the limit, so the reported depth
 * comes from our own measure. Documents with unknown or cyclic fragments are left to graphql's own
 * rules: the package throws on them.
 */
export function createDepthLimitRule(maxDepth: number): ValidationRule {
  return (context) => {
    try {
      for (const error of depthErrors(context, maxDepth)) context.reportError(error);
    } catch (error) {
      // Only a document nested past the call stack gets here (token/byte limits set very high):
      // reject it rather than let validation fail with a 500. Anything else is a bug: let it show.
      if (!(error instanceof RangeError)) throw error;
      context.reportError(
        new QueryLimitError(ErrorCode.DEPTH_LIMIT_EXCEEDED, `Query is nested too deeply to measure; the maximum depth is ${maxDepth}.`, {
          measured: maxDepth + 1,
          limit: maxDepth,
        }),
      );
    }
    return {};
  };
}

function depthErrors(context: ValidationContext, maxDepth: number): QueryLimitError[] {
  const document = context.getDocument();
  const fragments = walkableFragments(document);
  if (!fragments) return [];
  const measures = createSelectionMeasures(fragments);
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);

  const expanded = operations.reduce((total, operation) => total + measures.size(operation.selectionSet), 0);
  const tooDeep =
    expanded > maxSelectionsForPackageWalk
      ? new Set(operations.filter((operation) => measures.depth(operation.selectionSet) > maxDepth).map(operationKey))
      : packageVerdict(context, maxDepth);

  return operations
    .filter((operation) => tooDeep.has(operationKey(operation)))
    .map((operation) => {
      const measured = measures.depth(operation.selectionSet);
      return new QueryLimitError(ErrorCode.DEPTH_LIMIT_EXCEEDED, `Query depth ${measured} exceeds the maximum of ${maxDepth}.`, {
        measured,
        limit: maxDepth,
      });
    });
}

/** graphql-depth-limit keys operations by name, '' for the anonymous one. */
function operationKey(operation: OperationDefinitionNode): string {
  return operation.name?.value ?? '';
}

/**
 * Runs graphql-depth-limit against a stand-in context that keeps its errors: they have no code and
 * no depth. Its callback gives each operation's depth, NaN where it stopped at the limit.
 */
function packageVerdict(context: ValidationContext, maxDepth: number): Set<string> {
  let depths: Record<string, number> = {};
  let reported = false;
  const captured = {
    getDocument: () => context.getDocument(),
    reportError: () => {
      reported = true;
    },
  };
  depthLimit(maxDepth, {}, (result: Record<string, number>) => {
    depths = result;
  })(captured);
  if (!reported) return new Set();
  return new Set(
    Object.entries(depths)
      .filter(([, depth]) => !Number.isFinite(depth) || depth > maxDepth)
      .map(([key]) => key),
  );
}
