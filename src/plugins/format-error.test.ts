import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../errors.js';
import { createFormatError } from './format-error.js';

const formatError = createFormatError({ includeStacktrace: false });

describe('formatError', () => {
  it('passes application errors through with their code', () => {
    const error = new NotFoundError('Order', 'ord_123');

    expect(formatError({ message: error.message, extensions: { ...error.extensions, stacktrace: ['at x'] } }, error)).toEqual({
      message: 'Order "ord_123" was not found.',
      extensions: { code: 'NOT_FOUND', entity: 'Order', id: 'ord_123' },
    });
  });

  it('masks unexpected errors as INTERNAL_SERVER_ERROR without their message or stack', () => {
    const bug = new GraphQLError('connect ECONNREFUSED 10.0.0.5:5432', { path: ['restaurant'], originalError: new Error('boom') });

    const formatted = formatError(
      { message: bug.message, path: ['restaurant'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: boom'] } },
      bug,
    );

    expect(formatted).toEqual({ message: 'Internal server error.', path: ['restaurant'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it("keeps Apollo's own request errors, which already carry a code", () => {
    const formatted = formatError(
      { message: 'Cannot query field "x" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      new GraphQLError('x'),
    );

    expect(formatted.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(formatted.message).toContain('Cannot query field');
  });
});
