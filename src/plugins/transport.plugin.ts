import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import type { GraphQLContext } from '../context.js';
import { AppError, ErrorCode, withHttpStatus } from '../errors.js';

/**
 * One pipeline for both transports. HTTP runs queries and mutations; WebSocket (graphql-ws) runs
 * subscriptions, and sends each one through Apollo's own request pipeline first (`executeOperation`),
 * so parsing, every validation rule, the query limits, the input guard, persisted queries, metrics,
 * error reports and masking are the plugins' and written once. This plugin refuses an operation on
 * the wrong transport and, for an accepted subscription, stops the pipeline before execution and
 * hands its validated document to the WebSocket handler, which streams it.
 */
export function createTransportPlugin() {
  // By request id: Apollo hands plugins a shallow copy of the context, not the object passed in.
  const accepted = new Map<string, DocumentNode>();
  const plugin: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          const subscription = operation?.operation === 'subscription';
          if (contextValue.transport === 'websocket' && !subscription)
            throw new AppError(
              ErrorCode.OPERATION_NOT_SUPPORTED,
              'Only subscriptions run over WebSocket; send queries and mutations to /graphql over HTTP.',
            );
          if (contextValue.transport === 'http' && subscription)
            throw withHttpStatus(
              new AppError(ErrorCode.OPERATION_NOT_SUPPORTED, 'Subscriptions run over WebSocket (graphql-transport-ws) at /graphql.'),
              400,
            );
        },
        async responseForOperation({ contextValue, document }) {
          if (contextValue.transport !== 'websocket') return null;
          accepted.set(contextValue.requestId, document);
          return { http: { headers: new HeaderMap() }, body: { kind: 'single', singleResult: {} } };
        },
      };
    },
  };
  return {
    plugin,
    /** Takes the validated document of the subscription the pipeline accepted for this request id. */
    takeAcceptedDocument(requestId: string) {
      const document = accepted.get(requestId);
      accepted.delete(requestId);
      return document;
    },
  };
}

export type TransportGate = ReturnType<typeof createTransportPlugin>;
