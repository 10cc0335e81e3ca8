import { randomUUID } from 'node:crypto';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema, parse } from 'graphql';
import { makeHandler } from 'graphql-ws/use/@fastify/websocket';
import type { Authenticated } from '../auth/authenticate.js';
import type { Viewer } from '../auth/viewer.js';
import type { GraphQLContext } from '../context.js';
import type { ContextRequest } from '../context-factory.js';
import { AppError, ErrorCode } from '../errors.js';
import type { Metrics } from '../infra/metrics.js';
import type { ErrorTracking } from '../infra/sentry.js';
import { sha256Hex } from '../plugins/persisted-queries/manifest.js';
import { subscribeWithDeliveryTimes } from './event-stream.js';
import { createSubscriptionObserver, type Operation, type SubscriptionObserver, unknownField } from './subscription-observer.js';

type ConnectionParams = { authorization?: unknown; 'x-api-key'?: unknown };

/** A socket past `connection_init`: who it is, and its operations by graphql-ws id. */
interface Connection {
  id: string;
  viewer: Viewer;
  operations: Map<string, Operation>;
}

/**
 * graphql-ws on /graphql. Clients authenticate in `connection_init` with the same credentials as
 * HTTP (`{ authorization: "Bearer …" }` or `{ "x-api-key": "…" }`); bad credentials close the
 * socket with 4403. Each subscription gets its own context; tenancy is checked by `@auth`/`@scope`
 * when it starts and again for every event.
 *
 * Observed like HTTP operations (see subscription-observer.ts): errors counted by code and masked
 * by `formatError`, unexpected ones logged and sent to Sentry; subscriptions counted and gauged by
 * field, their events counted and timed.
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
  metrics: Metrics;
  errorTracking: ErrorTracking;
}) {
  const connections = new WeakMap<object, Connection>();
  const observer = createSubscriptionObserver(deps);
  /** Counts an operation's end once, whichever comes first: graphql-ws's onComplete or the socket's close. */
  const finish = (connection: Connection | undefined, id: string) => {
    const operation = connection?.operations.get(id);
    connection?.operations.delete(id);
    if (operation?.started) observer.completed(operation);
  };
  /** Like Apollo over HTTP: an error without a code gets one before masking, and all carry the request id. */
  const format = (error: GraphQLError, codeWhenMissing: string, operation: Operation | undefined) => {
    const json = error.toJSON();
    const formatted = deps.formatError({ ...json, extensions: { code: codeWhenMissing, ...json.extensions } }, error);
    return operation ? { ...formatted, extensions: { ...formatted.extensions, requestId: operation.details.requestId } } : formatted;
  };

  return makeHandler<ConnectionParams>({
    schema: deps.schema,
    onConnect: async (ctx) => {
      const params = ctx.connectionParams ?? {};
      const headers = {
        authorization: typeof params.authorization === 'string' ? params.authorization : undefined,
        'x-api-key': typeof params['x-api-key'] === 'string' ? params['x-api-key'] : undefined,
      };
      try {
        const { viewer } = await deps.authenticate(headers);
        connections.set(ctx.extra.socket, { id: randomUUID(), viewer, operations: new Map() });
        return true;
      } catch (error) {
        if (error instanceof AppError) return false;
        throw error;
      }
    },
    onSubscribe: (ctx, _id, payload) => {
      const viewer = connections.get(ctx.extra.socket)?.viewer;
      if ((deps.enforceManifestForAll || viewer?.kind === 'apiKey') && !deps.manifest.has(sha256Hex(payload.query ?? ''))) {
        return [
          new GraphQLError('Only the operations of the persisted query manifest may run here.', {
            extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_ALLOWED },
          }),
        ];
      }
    },
    context: (ctx) => {
      const connection = connections.get(ctx.extra.socket);
      const requestId = randomUUID();
      return deps.createContext({
        requestId,
        log: deps.log.child({ requestId, connectionId: connection?.id, transport: 'websocket' }),
        ip: ctx.extra.request.ip,
        viewer: connection?.viewer ?? { kind: 'anonymous' },
      });
    },
    subscribe: (args) => {
      const field = observer.fieldOf(args.document, args.operationName) ?? unknownField;
      return subscribeWithDeliveryTimes(args, (milliseconds) => observer.delivered(field, milliseconds));
    },
    onOperation: (ctx, id, _payload, args, result) => {
      const connection = connections.get(ctx.extra.socket);
      if (!connection) return;
      const operation = observer.describe(args, connection.id, Symbol.asyncIterator in Object(result));
      connection.operations.set(id, operation);
      if (operation.started) observer.started(operation);
      else if (operation.details.operationType === 'subscription') observer.refused(operation.field);
    },
    // Errors reach WebSocket clients through the same masking as HTTP responses.
    onNext: (ctx, id, _payload, _args, result) => {
      if (!result.errors) return result;
      const operation = connections.get(ctx.extra.socket)?.operations.get(id);
      observer.errors(result.errors, ErrorCode.INTERNAL_SERVER_ERROR, operation);
      return { ...result, errors: result.errors.map((error) => format(error, ErrorCode.INTERNAL_SERVER_ERROR, operation)) };
    },
    // Before the operation runs (persisted-query manifest, validation), or when its stream fails.
    onError: (ctx, id, payload, errors) => {
      const operation = connections.get(ctx.extra.socket)?.operations.get(id);
      if (operation) {
        observer.errors(errors, ErrorCode.INTERNAL_SERVER_ERROR, operation);
        return errors.map((error) => format(error, ErrorCode.INTERNAL_SERVER_ERROR, operation));
      }
      // graphql-ws's validation errors have no code; Apollo gives the same failures this one.
      observer.errors(errors, ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED);
      const field = fieldOfQuery(observer, payload.query, payload.operationName);
      if (field) observer.refused(field);
      return errors.map((error) => format(error, ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED, undefined));
    },
    onComplete: (ctx, id) => finish(connections.get(ctx.extra.socket), id),
    // graphql-ws has returned every stream; their onComplete may come later, or not at all if sending failed.
    onClose: (ctx) => {
      const connection = connections.get(ctx.extra.socket);
      for (const id of [...(connection?.operations.keys() ?? [])]) finish(connection, id);
    },
    isProd: deps.isProduction,
  });
}

/** A subscription's field label from its query text; undefined for other operations and unparsable text. */
function fieldOfQuery(observer: SubscriptionObserver, query: string | undefined, operationName: string | null | undefined) {
  try {
    return observer.fieldOf(parse(query ?? ''), operationName);
  } catch {
    return undefined;
  }
}
