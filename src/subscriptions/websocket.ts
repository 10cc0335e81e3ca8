import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { makeHandler } from 'graphql-ws/use/@fastify/websocket';
import type { Authenticated } from '../auth/authenticate.js';
import type { Viewer } from '../auth/viewer.js';
import type { GraphQLContext } from '../context.js';
import type { ContextRequest } from '../context-factory.js';
import { AppError, ErrorCode } from '../errors.js';
import { sha256Hex } from '../plugins/persisted-queries/manifest.js';

type ConnectionParams = { authorization?: unknown; 'x-api-key'?: unknown };

/**
 * graphql-ws on /graphql. Clients authenticate in `connection_init` with the same credentials as
 * HTTP (`{ authorization: "Bearer …" }` or `{ "x-api-key": "…" }`); bad credentials close the
 * socket with 4403. Each subscription gets its own context; tenancy is checked by `@auth`/`@scope`
 * when it starts and again for every event.
 */
export function createSubscriptionHandler(deps: {
  schema: GraphQLSchema;
  authenticate: (headers: Record<string, string | undefined>) => Promise<Authenticated>;
  createContext: (request: ContextRequest) => GraphQLContext;
  manifest: ReadonlyMap<string, string>;
  enforceManifestForAll: boolean;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  isProduction: boolean;
  log: FastifyBaseLogger;
}) {
  const viewers = new WeakMap<object, Viewer>();
  return makeHandler<ConnectionParams>({
    schema: deps.schema,
    onConnect: async (ctx) => {
      const params = ctx.connectionParams ?? {};
      const headers = {
        authorization: typeof params.authorization === 'string' ? params.authorization : undefined,
        'x-api-key': typeof params['x-api-key'] === 'string' ? params['x-api-key'] : undefined,
      };
      try {
        viewers.set(ctx.extra.socket, (await deps.authenticate(headers)).viewer);
        return true;
      } catch (error) {
        if (error instanceof AppError) return false;
        throw error;
      }
    },
    onSubscribe: (ctx, _id, payload) => {
      const viewer = viewers.get(ctx.extra.socket);
      if ((deps.enforceManifestForAll || viewer?.kind === 'apiKey') && !deps.manifest.has(sha256Hex(payload.query ?? ''))) {
        return [
          new GraphQLError('Only the operations of the persisted query manifest may run here.', {
            extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_ALLOWED },
          }),
        ];
      }
    },
    // Errors reach WebSocket clients through the same masking as HTTP responses.
    onNext: (_ctx, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: result.errors.map((error) => deps.formatError(error.toJSON(), error)) } : result,
    context: (ctx) => {
      const requestId = randomUUID();
      return deps.createContext({
        requestId,
        log: deps.log.child({ requestId, transport: 'websocket' }),
        ip: ctx.extra.request.ip,
        viewer: viewers.get(ctx.extra.socket) ?? { kind: 'anonymous' },
      });
    },
    isProd: deps.isProduction,
  });
}
