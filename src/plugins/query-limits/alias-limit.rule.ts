import type { ValidationRule } from 'graphql';
import { ErrorCode } from '../../errors.js';
import { QueryLimitError } from './query-limit-error.js';

/**
 * Rejects documents with more than `maxAliases` aliased fields with ALIAS_LIMIT_EXCEEDED
 * ({ measured, limit }). Aliases let one request run the same resolver many times over
 * (`a1: order(id: 1) a2: order(id: 2) …`); they are counted as written in the whole document.
 */
export function createAliasLimitRule(maxAliases: number): ValidationRule {
  return (context) => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases += 1;
      },
      Document: {
        leave() {
          if (aliases <= maxAliases) return;
          context.reportError(
            new QueryLimitError(ErrorCode.ALIAS_LIMIT_EXCEEDED, `Query has ${aliases} aliases, more than the maximum of ${maxAliases}.`, {
              measured: aliases,
              limit: maxAliases,
            }),
          );
        },
      },
    };
  };
}
