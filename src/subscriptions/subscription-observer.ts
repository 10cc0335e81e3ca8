import { unwrapResolverError } from '@apollo/server/errors';
import type { FastifyBaseLogger } from 'fastify';
import { type DocumentNode, type ExecutionArgs, type FieldNode, type GraphQLError, type GraphQLSchema, getOperationAST } from 'graphql';
import { restaurantIdArgument } from '../auth/restaurant-argument.js';
import type { GraphQLContext } from '../context.js';
import type { Metrics } from '../infra/metrics.js';
import type { ErrorTracking } from '../infra/sentry.js';
import { firstRootFieldArguments } from '../plugins/root-field-arguments.js';
import { captureOperationError, type OperationDetails } from '../plugins/sentry-capture.js';
import { isUnexpectedError } from '../plugins/unexpected-error.js';

/** One operation over a WebSocket, from graphql-ws's `onOperation` to its `onComplete`. */
export interface Operation {
  /** The root field: the `subscription` label of the metrics. */
  field: string;
  /** A subscription whose stream runs (not refused at subscribe, not a query or mutation). */
  started: boolean;
  details: OperationDetails;
  log: FastifyBaseLogger;
}

/** The label of a field that is not a Subscription field of the schema (in a refused document). */
export const unknownField = 'unknown';

/**
 * Metrics and error reports for graphql-ws, as the metrics and Sentry plugins give HTTP operations:
 * errors counted in `graphql.errors` by code, unexpected ones logged and sent to Sentry (when
 * enabled) with the operation's user, restaurant, request id, connection id and name; plus
 * subscriptions started/completed/refused, running now, and their events delivered and timed.
 */
export function createSubscriptionObserver(deps: { schema: GraphQLSchema; metrics: Metrics; errorTracking: ErrorTracking }) {
  const { schema, metrics } = deps;
  const subscriptionFields = schema.getSubscriptionType()?.getFields() ?? {};
  // Every field from the start, so a dashboard sees 0 rather than no series.
  const active = new Map(Object.keys(subscriptionFields).map((field) => [field, 0]));
  metrics.gauge('graphql.subscriptions.active', () => [...active].map(([subscription, value]) => ({ labels: { subscription }, value })));
  const count = (field: string, state: 'started' | 'completed' | 'refused') =>
    metrics.increment('graphql.subscriptions', 1, { subscription: field, state });

  /** The operation's first root field, if it has one. */
  const rootField = (document: DocumentNode, operationName: string | null | undefined) => {
    const operation = getOperationAST(document, operationName);
    const field = operation?.selectionSet.selections.find((selection): selection is FieldNode => selection.kind === 'Field');
    return { operation, field };
  };

  /** A subscription's `subscription` label: its root field (`unknown` if none of the schema's); undefined for other operations. */
  const fieldOf = (document: DocumentNode, operationName: string | null | undefined): string | undefined => {
    const { operation, field } = rootField(document, operationName);
    if (operation?.operation !== 'subscription') return undefined;
    return field && Object.hasOwn(subscriptionFields, field.name.value) ? field.name.value : unknownField;
  };

  return {
    fieldOf,
    /** What reports say about an operation graphql-ws has executed: `started` when it returned a stream. */
    describe(args: ExecutionArgs, connectionId: string, started: boolean): Operation {
      const context = args.contextValue as GraphQLContext;
      const { viewer } = context;
      const { operation } = rootField(args.document, args.operationName);
      const subscription = fieldOf(args.document, args.operationName);
      const rootArguments = operation ? firstRootFieldArguments(args.schema, operation, args.variableValues ?? {}) : undefined;
      return {
        field: subscription ?? unknownField,
        started: started && subscription !== undefined,
        log: context.log,
        details: {
          viewer,
          requestId: context.requestId,
          restaurantId: viewer.kind === 'apiKey' ? viewer.restaurantId : rootArguments && restaurantIdArgument(rootArguments),
          operationName: operation?.name?.value,
          operationType: operation?.operation,
          breadcrumbs: [{ category: 'graphql', message: 'operation received', timestamp: Date.now() / 1000 }],
          tags: { connection_id: connectionId },
        },
      };
    },
    started(operation: Operation) {
      active.set(operation.field, (active.get(operation.field) ?? 0) + 1);
      count(operation.field, 'started');
    },
    completed(operation: Operation) {
      active.set(operation.field, (active.get(operation.field) ?? 1) - 1);
      count(operation.field, 'completed');
    },
    /** A subscription that never started: refused by the manifest, validation or authorization. */
    refused(field: string) {
      count(field, 'refused');
    },
    delivered(field: string, milliseconds: number) {
      metrics.increment('graphql.subscription.events', 1, { subscription: field });
      metrics.timing('graphql.subscription.event.duration', milliseconds, { subscription: field });
    },
    /**
     * Counts errors by `extensions.code` (`codeWhenMissing` for those without); with the operation
     * they came from, logs the unexpected ones and sends them to Sentry.
     */
    errors(errors: readonly GraphQLError[], codeWhenMissing: string, operation?: Operation) {
      for (const error of errors) {
        const code = typeof error.extensions?.code === 'string' ? error.extensions.code : codeWhenMissing;
        metrics.increment('graphql.errors', 1, { code });
        if (!operation || !isUnexpectedError(error)) continue;
        operation.log.error(
          { err: unwrapResolverError(error), operationName: operation.details.operationName, path: error.path },
          'unexpected error while resolving',
        );
        if (deps.errorTracking.enabled) captureOperationError(error, operation.details);
      }
    },
  };
}

export type SubscriptionObserver = ReturnType<typeof createSubscriptionObserver>;
