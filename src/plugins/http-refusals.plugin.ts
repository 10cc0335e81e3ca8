import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../context.js';
import { codeByStatus } from '../http/http-errors.js';

/**
 * Apollo refuses some requests itself with an HTTP 4xx but a generic code or none: a mutation over
 * GET (405, BAD_REQUEST) or an APQ whose hash does not match its query (400, no code), which would
 * then count and read as INTERNAL_SERVER_ERROR. They get the code their status means, as HTTP-level
 * refusals do (src/http/http-errors.ts). Before the error-reporting plugin, which logs code-less errors.
 */
export function createHttpRefusalsPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const status = (error.extensions?.http as { status?: number } | undefined)?.status;
            const code = status === undefined ? undefined : codeByStatus[status];
            if (!code || (error.extensions.code && status !== 405)) continue;
            (error.extensions as Record<string, unknown>).code = code;
          }
        },
      };
    },
  };
}
