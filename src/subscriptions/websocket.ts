import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema, parse } from 'graphql';
import { makeHandler } from 'graphql-ws/use/@fastify/websocket';
import type { Authenticated } from '../auth/authenticate.js';
import type { Viewer } from '../auth/viewer.js';
import type { GraphQLContext } from '../context.js';
import type { ContextRequest } from '../context-factory.js';
import { AppError, ErrorCode } from '../errors.js';
import type { InFlight } from '../http/in-flight.js';
import type { Metrics } from '../infra/metrics.js';
import type { ErrorTracking } from '../infra/sentry.js';
import { sha256Hex } from '../plugins/persisted-queries/manifest.js';
import type { TransportGate } from '../plugins/transport.plugin.js';
import { subscribeWithDeliveryTimes } from './event-stream.js';
import { createSubscriptionObserver, type Operation, type SubscriptionObserver, unknownField } from './subscription-observer.js';
import type { WebSocketLimits } from './websocket-limits.js';

type ConnectionParams = { authorization?: unknown; 'x-api-key'?: unknown };
type Release = { release(): void };

/** A socket past `connection_init`: who it is, its operations and admitted subscriptions by graphql-ws id. */
interface Connection {
  id: string;
  viewer: Viewer;
  ip: string;
  admission: Release;
  /** Subscriptions admitted on this socket (see websocket-limits.ts). */
  slots: { used: number };
  operations: Map<string, Operation>;
  subscriptions: Map<string, Release>;
}

/** Close code for a socket refused by a connection limit (4400–4499 are the application's). */
const tooManyConnections = 4429;

/**
 * graphql-ws on /graphql. Clients authenticate in `connection_init` with the same credentials as
 * HTTP (`{ authorization: "Bearer …" }` or `{ "x-api-key": "…" }`); bad credentials close the
 * socket with 4403, a connection limit with 4429 and the limit's code as the reason.
 *
 * Every subscribe message goes through Apollo's request pipeline first (see transport.plugin.ts):
 * the same parsing, validation rules, limits, input guard, metrics, error reports and masking as
 * HTTP, and queries and mutations are refused there. An accepted subscription is streamed here;
 * each event runs with a fresh context (fresh loaders, fresh memberships), checked again by
 * `@auth`/`@scope`. Subscriptions are gauged, counted and timed (subscription-observer.ts).
 */
export function createSubscriptionHandler(deps: {
  schema: GraphQLSchema;
  apollo: ApolloServer<GraphQLContext>;
  gate: TransportGate;
  limits: WebSocketLimits;
  authenticate: (headers: Record<string, string | undefined>) => Authenticated | Promise<Authenticated>;
  createContext: (request: ContextRequest) => GraphQLContext;
  manifest: ReadonlyMap<string, string>;
  enforceManifestForAll: boolean;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  isProduction: boolean;
  log: FastifyBaseLogger;
  metrics: Metrics;
  errorTracking: ErrorTracking;
  inFlight: InFlight;
}) {
  const connections = new WeakMap<object, Connection>();
  const observer = createSubscriptionObserver(deps);
  /** Errors Apollo's pipeline (or a limit) already formatted and counted: sent as they are. */
  const final = new WeakSet<GraphQLError>();
  const finalError = (formatted: GraphQLFormattedError) => {
    const error = new GraphQLError(formatted.message, {
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: formatted.extensions,
    });
    final.add(error);
    return error;
  };
  /** Counts an operation's end once, whichever comes first: graphql-ws's onComplete or the socket's close. */
  const finish = (connection: Connection | undefined, id: string) => {
    const operation = connection?.operations.get(id);
    connection?.operations.delete(id);
    connection?.subscriptions.get(id)?.release();
    connection?.subscriptions.delete(id);
    if (operation?.started) observer.completed(operation);
  };
  /** Like Apollo over HTTP: an error without a code gets one before masking, and all carry the request id. */
  const format = (error: GraphQLError, codeWhenMissing: string, operation: Operation | undefined) => {
    const json = error.toJSON();
    const formatted = deps.formatError({ ...json, extensions: { code: codeWhenMissing, ...json.extensions } }, error);
    return operation ? { ...formatted, extensions: { ...formatted.extensions, requestId: operation.details.requestId } } : formatted;
  };
  const contextFor = (connection: Connection, requestId: string) =>
    deps.createContext({
      requestId,
      log: deps.log.child({ requestId, connectionId: connection.id, transport: 'websocket' }),
      ip: connection.ip,
      viewer: connection.viewer,
      transport: 'websocket',
    });
  /** The same caller and request id as the subscription, with fresh loaders and memberships. */
  const contextForEvent = ({ requestId, log, ip, viewer }: GraphQLContext) =>
    deps.createContext({ requestId, log, ip, viewer, transport: 'websocket' });

  return makeHandler<ConnectionParams>({
    schema: deps.schema,
    onConnect: async (ctx) => {
      const params = ctx.connectionParams ?? {};
      const headers = {
        authorization: typeof params.authorization === 'string' ? params.authorization : undefined,
        'x-api-key': typeof params['x-api-key'] === 'string' ? params['x-api-key'] : undefined,
      };
      let viewer: Viewer;
      try {
        ({ viewer } = await deps.authenticate(headers));
      } catch (error) {
        if (error instanceof AppError) return false;
        throw error;
      }
      const ip = ctx.extra.request.ip;
      const admission = deps.limits.admitConnection(viewer, ip);
      if (admission instanceof AppError) {
        ctx.extra.socket.close(tooManyConnections, admission.code);
        return false;
      }
      connections.set(ctx.extra.socket, {
        id: randomUUID(),
        viewer,
        ip,
        admission,
        slots: { used: 0 },
        operations: new Map(),
        subscriptions: new Map(),
      });
      return true;
    },
    onSubscribe: async (ctx, id, payload) => {
      const connection = connections.get(ctx.extra.socket);
      if (!connection) return [finalError({ message: 'Not connected.', extensions: { code: ErrorCode.UNAUTHENTICATED } })];
      const refuse = (errors: readonly GraphQLFormattedError[]) => {
        const field = fieldOfQuery(observer, payload.query, payload.operationName);
        if (field) observer.refused(field);
        return errors.map(finalError);
      };
      if ((deps.enforceManifestForAll || connection.viewer.kind === 'apiKey') && !deps.manifest.has(sha256Hex(payload.query ?? ''))) {
        const error = new AppError(
          ErrorCode.PERSISTED_QUERY_NOT_ALLOWED,
          'Only the operations of the persisted query manifest may run here.',
        );
        observer.errors([error], ErrorCode.PERSISTED_QUERY_NOT_ALLOWED);
        return refuse([error.toJSON()]);
      }
      const admission = await deps.limits.admitSubscription(connection.viewer, connection.ip, connection.slots);
      if (admission instanceof AppError) return refuse([admission.toJSON()]);

      const contextValue = contextFor(connection, randomUUID());
      const response = await deps.apollo.executeOperation(
        {
          query: payload.query,
          ...(payload.variables ? { variables: payload.variables } : {}),
          ...(payload.operationName ? { operationName: payload.operationName } : {}),
          ...(payload.extensions ? { extensions: payload.extensions } : {}),
        },
        { contextValue },
      );
      const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
      const document = deps.gate.takeAcceptedDocument(contextValue.requestId);
      if (result.errors?.length || !document) {
        admission.release();
        return refuse(
          result.errors ?? [{ message: 'The operation was not accepted.', extensions: { code: ErrorCode.OPERATION_NOT_SUPPORTED } }],
        );
      }
      connection.subscriptions.set(id, admission);
      return {
        schema: deps.schema,
        document,
        contextValue,
        ...(payload.operationName ? { operationName: payload.operationName } : {}),
        ...(payload.variables ? { variableValues: payload.variables } : {}),
      };
    },
    subscribe: (args) => {
      const field = observer.fieldOf(args.document, args.operationName) ?? unknownField;
      const started = args.contextValue as GraphQLContext;
      return subscribeWithDeliveryTimes(
        args,
        (milliseconds) => observer.delivered(field, milliseconds),
        () => contextForEvent(started),
        deps.inFlight,
      );
    },
    onOperation: (ctx, id, _payload, args, result) => {
      const connection = connections.get(ctx.extra.socket);
      if (!connection) return;
      const operation = observer.describe(args, connection.id, Symbol.asyncIterator in Object(result));
      connection.operations.set(id, operation);
      if (operation.started) observer.started(operation);
      else {
        // Refused when it started (by @auth/@scope): it holds no slot.
        connection.subscriptions.get(id)?.release();
        connection.subscriptions.delete(id);
        observer.refused(operation.field);
      }
    },
    // Errors reach WebSocket clients through the same masking as HTTP responses.
    onNext: (ctx, id, _payload, _args, result) => {
      if (!result.errors) return result;
      const operation = connections.get(ctx.extra.socket)?.operations.get(id);
      observer.errors(result.errors, ErrorCode.INTERNAL_SERVER_ERROR, operation);
      return { ...result, errors: result.errors.map((error) => format(error, ErrorCode.INTERNAL_SERVER_ERROR, operation)) };
    },
    // Refusals before the operation runs (already formatted), or a stream that failed.
    onError: (ctx, id, _payload, errors) => {
      if (errors.every((error) => final.has(error))) return errors.map((error) => error.toJSON());
      const operation = connections.get(ctx.extra.socket)?.operations.get(id);
      const code = operation ? ErrorCode.INTERNAL_SERVER_ERROR : ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED;
      observer.errors(errors, code, operation);
      return errors.map((error) => format(error, code, operation));
    },
    onComplete: (ctx, id) => finish(connections.get(ctx.extra.socket), id),
    // graphql-ws has returned every stream; their onComplete may come later, or not at all if sending failed.
    onClose: (ctx) => {
      const connection = connections.get(ctx.extra.socket);
      for (const id of [...(connection?.operations.keys() ?? []), ...(connection?.subscriptions.keys() ?? [])]) finish(connection, id);
      connection?.admission.release();
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
