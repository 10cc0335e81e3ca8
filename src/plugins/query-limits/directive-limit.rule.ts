import type { ValidationRule } from 'graphql';
import { ErrorCode } from '../../errors.js';
import { QueryLimitError } from './query-limit-error.js';

/**
 * Rejects documents using more than `maxDirectives` directives (`@include`, `@skip`, … anywhere in
 * the document) with DIRECTIVE_LIMIT_EXCEEDED ({ measured, limit }): each one is evaluated per
 * field at execution, and thousands of them are a cheap way to make validation and execution slow.
 */
export function createDirectiveLimitRule(maxDirectives: number): ValidationRule {
  return (context) => {
    let directives = 0;
    return {
      Directive() {
        directives += 1;
      },
      Document: {
        leave() {
          if (directives <= maxDirectives) return;
          context.reportError(
            new QueryLimitError(
              ErrorCode.DIRECTIVE_LIMIT_EXCEEDED,
              `Query has ${directives} directives, more than the maximum of ${maxDirectives}.`,
              { measured: directives, limit: maxDirectives },
            ),
          );
        },
      },
    };
  };
}
