import type { ApolloServerPlugin } from '@apollo/server';
import { type DocumentNode, visit } from 'graphql';
import type { GraphQLContext } from '../context.js';
import { ValidationError, withHttpStatus } from '../errors.js';

/**
 * Refuses U+0000 anywhere in a request's strings (inline or in variables). PostgreSQL cannot store
 * it in text and would fail mid-query, so it is refused once, before any resolver runs. Variables nested
 * absurdly deep are refused too: every later walk over them (scalars, logging) recurses.
 */
export function createInputSanityPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const problem = problemInVariables(request.variables ?? {}) ?? nulInDocument(document);
          if (problem) throw withHttpStatus(new ValidationError(problem.field, problem.message), 400);
        },
      };
    },
  };
}

function nulInDocument(document: DocumentNode): { field: string; message: string } | undefined {
  let found = false;
  visit(document, {
    StringValue(node) {
      found ||= node.value.includes('\u0000');
    },
  });
  return found ? { field: 'query', message: 'query contains a NUL character (U+0000), which is not allowed.' } : undefined;
}

/** Deeper than any input of this schema; beyond it a request is refused before anything walks it recursively. */
export const maxVariableDepth = 64;

/**
 * The first problem in the variables: a string with U+0000, or nesting past `maxVariableDepth`.
 * Iterative, so no input can overflow the stack.
 */
function problemInVariables(variables: unknown): { field: string; message: string } | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value: variables, path: 'variables', depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field: path, message: `${path} contains a NUL character (U+0000), which is not allowed.` };
    } else if (value && typeof value === 'object') {
      if (depth > maxVariableDepth) return { field: path, message: `${path} is nested deeper than ${maxVariableDepth} levels.` };
      for (const [key, item] of Object.entries(value)) pending.push({ value: item, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}
