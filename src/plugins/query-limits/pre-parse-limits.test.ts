import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../../test/testkit/thrown.js';
import { assertDocumentSize } from './document-size.js';
import { QueryLimitError } from './query-limit-error.js';
import { assertTokenCount, countTokens } from './token-limit.js';

const thrown = (work: () => unknown) => thrownBy(work, QueryLimitError);

describe('document size', () => {
  it('counts UTF-8 bytes', () => {
    expect(() => assertDocumentSize('{ apiVersion }', 14)).not.toThrow();
    const error = thrown(() => assertDocumentSize('# é\n{ apiVersion }', 18));
    expect(error.extensions).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', measured: 19, limit: 18 });
    expect(error.message).toBe('Query document is 19 bytes, more than the maximum of 18.');
  });
});

describe('token count', () => {
  it('counts tokens as the parser does, without comments', () => {
    expect(countTokens('# a comment\n{ restaurant(slug: "x") { id } }', 100)).toBe(11);
  });

  it('stops at the first token past the limit', () => {
    expect(countTokens('{ a b c d e f }', 3)).toBe(4);
    const error = thrown(() => assertTokenCount(`{ ${'a '.repeat(10_000)}}`, 5_000));
    expect(error.extensions).toMatchObject({ code: 'TOKEN_LIMIT_EXCEEDED', measured: 5_001, limit: 5_000 });
    expect(error.message).toBe('Query has more than the maximum of 5000 tokens (counting stopped at 5001).');
  });

  it('leaves syntax errors to the parser', () => {
    expect(countTokens('{ a "unterminated', 100)).toBe(2);
    expect(() => assertTokenCount('{ a ~ b }', 3)).not.toThrow();
  });
});
