import type { ApolloServerPlugin } from '@apollo/server';
import { type DocumentNode, visit } from 'graphql';
import type { GraphQLContext } from '../context.js';
import { ValidationError, withHttpStatus } from '../errors.js';

/**
 * Refuses U+0000 anywhere in a request's strings (inline or in variables). PostgreSQL cannot store
 * it in text and would fail mid-query, so it is refused once, before any resolver runs.
 */
export function createInputSanityPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const field = nulInDocument(document) ?? nulInValue(request.variables ?? {}, 'variables');
          if (field)
            throw withHttpStatus(new ValidationError(field, `${field} contains a NUL character (U+0000), which is not allowed.`), 400);
        },
      };
    },
  };
}

function nulInDocument(document: DocumentNode): string | undefined {
  let found: string | undefined;
  visit(document, {
    StringValue(node) {
      if (!found && node.value.includes('\u0000')) found = 'query';
    },
  });
  return found;
}

function nulInValue(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulInValue(item, `${path}.${index}`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulInValue(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}
