import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import { ErrorCode } from '../../errors.js';
import { QueryLimitError } from './query-limit-error.js';

/**
 * Counts the document's tokens (comments excluded, as graphql's parser counts them), stopping at
 * `stopAfter`: a huge document costs no more than the limit to reject. A syntax error ends the count
 * early; the parser reports it next.
 */
export function countTokens(source: string, stopAfter: number): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (count <= stopAfter && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
  }
  return count;
}

/**
 * Throws TOKEN_LIMIT_EXCEEDED for a document of more than `maxTokens` tokens, before it is parsed.
 * Counting stops at the first token past the limit, so `measured` is `maxTokens + 1`.
 */
export function assertTokenCount(source: string, maxTokens: number): void {
  const tokens = countTokens(source, maxTokens);
  if (tokens <= maxTokens) return;
  throw new QueryLimitError(
    ErrorCode.TOKEN_LIMIT_EXCEEDED,
    `Query has more than the maximum of ${maxTokens} tokens (counting stopped at ${tokens}).`,
    { measured: tokens, limit: maxTokens },
  );
}
