import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { createAccessTokensFor } from './auth/access-tokens.js';
import { type Authenticated, createAuthenticator } from './auth/authenticate.js';
import type { GraphQLContext } from './context.js';
import { createContextFactory } from './context-factory.js';
import { AppError } from './errors.js';
import { registerHealthRoutes } from './health/health.routes.js';
import { closeConnectionsWhileDraining, closeWebSocketsGoingAway } from './http/graceful-close.js';
import { registerHttpErrorHandlers, stampRequestIdOnErrors } from './http/http-errors.js';
import { createInFlight } from './http/in-flight.js';
import { registerMetricsRoute } from './http/metrics.route.js';
import { registerRequestMetrics } from './http/request-metrics.hook.js';
import { registerHttpSecurity } from './http/security.js';
import { createModuleServices, createMutationMetrics } from './modules/index.js';
import { createBusinessMetricsPlugin } from './plugins/business-metrics.plugin.js';
import { createDatabaseOutagePlugin } from './plugins/database-outage.plugin.js';
import { createErrorReportingPlugin } from './plugins/error-reporting.plugin.js';
import { createExplorerPlugin } from './plugins/explorer/explorer.plugin.js';
import { registerExplorerPolicy } from './plugins/explorer/explorer-policy.js';
import { createFormatError } from './plugins/format-error.js';
import { createGatewayOnlyPlugin } from './plugins/gateway-only.plugin.js';
import { createHttpRefusalsPlugin } from './plugins/http-refusals.plugin.js';
import { createInputSanityPlugin } from './plugins/input-sanity.plugin.js';
import { createMetricsPlugin } from './plugins/metrics.plugin.js';
import { loadManifest } from './plugins/persisted-queries/manifest.js';
import { manifestPath } from './plugins/persisted-queries/paths.js';
import { registerTrustedDocuments } from './plugins/persisted-queries/trusted-documents.hook.js';
import { createQueryLimitRules, createQueryLimitsPlugin } from './plugins/query-limits/index.js';
import { resolverTimer } from './plugins/resolver-timing.js';
import { createCacheGenerations } from './plugins/response-cache/cache-generations.js';
import { registerResponseFastPath } from './plugins/response-cache/fast-path.hook.js';
import { createLocalResponses } from './plugins/response-cache/local-responses.js';
import { createResponseCachePlugins } from './plugins/response-cache/response-cache.plugin.js';
import { createSentryPlugin } from './plugins/sentry.plugin.js';
import { createTransportPlugin } from './plugins/transport.plugin.js';
import { createUsageReportingPlugin } from './plugins/usage-reporting.plugin.js';
import type { Runtime } from './runtime.js';
import { createSchema } from './schema.js';
import { createSubscriptionHandler } from './subscriptions/websocket.js';
import { createWebSocketLimits } from './subscriptions/websocket-limits.js';

const requestIdPattern = /^[\w.:-]{1,128}$/;

/**
 * The HTTP server: Fastify with GraphQL at /graphql and the health routes. It never listens;
 * main.ts (or a test) decides where.
 */
export async function createServer(
  infra: Runtime,
  options: {
    /**
     * On close, leave idle kept-alive connections open until their keep-alive time-out, so a request a
     * client sends on one meets a 503 with `Connection: close` instead of a reset (main.ts; tests close at once).
     */
    keepIdleConnectionsOnClose?: boolean;
  } = {},
): Promise<FastifyInstance> {
  const { config } = infra;
  const app = Fastify({
    loggerInstance: infra.logger as FastifyBaseLogger,
    // Honour a caller's request id (from a gateway or load balancer), else make one.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    trustProxy: config.http.trustProxy,
    bodyLimit: config.http.bodyLimitBytes,
    requestTimeout: config.http.requestTimeoutMs,
    return503OnClosing: true,
    forceCloseConnections: options.keepIdleConnectionsOnClose ? false : 'idle',
  });
  // Per-request hooks on the hot path take callbacks: an async hook costs a promise on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  registerHttpErrorHandlers(app);
  closeConnectionsWhileDraining(app);
  registerRequestMetrics(app, infra.metrics);
  await registerHttpSecurity(app, config, infra.redis);

  const accessTokens = createAccessTokensFor(config);
  const { db, events, logger, metrics, externalServices } = infra;
  const services = {
    events,
    ...createModuleServices({
      prisma: db.prisma,
      events,
      config,
      logger,
      metrics,
      externalServices,
      accessTokens,
      cache: infra.cacheService,
    }),
  };
  const authenticate = createAuthenticator({
    accessTokens,
    authenticateApiKey: (secret) => services.apiKeys.authenticate(secret),
    loadUserAccess: (userId) => services.userAccess.get(userId),
  });

  // Every instance drops its in-process cached answers when any instance bumps a generation.
  const generations = createCacheGenerations(infra.redis, (error) =>
    app.log.warn({ component: 'response-cache', err: error }, 'cache invalidation channel failed'),
  );
  const localResponses = createLocalResponses({ maxEntries: 1_000, maxAgeMs: 10_000 });
  generations.onBump((scopes) => localResponses.invalidate(scopes));
  app.addHook('onClose', () => generations.close());
  const schema = createSchema({
    rateLimits: config.rateLimits,
    redis: infra.redis,
    timeResolver: resolverTimer(infra.metrics, config.metrics.slowResolverMs),
  });
  const createContext = createContextFactory({ prisma: infra.db.prisma, services });
  const manifest = loadManifest(manifestPath);
  const transport = createTransportPlugin();
  const formatError = createFormatError({ includeStacktrace: config.env === 'development', maskSuggestions: config.isProduction });
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    logger: infra.logger.child({ component: 'apollo' }),
    // The key and graph ref come from config (Apollo would otherwise read APOLLO_KEY/APOLLO_GRAPH_REF itself).
    ...(config.usageReporting.kind === 'apollo'
      ? { apollo: { key: config.usageReporting.key, graphRef: config.usageReporting.graphRef } }
      : {}),
    introspection: !config.isProduction,
    includeStacktraceInErrorResponses: false,
    // main.ts owns the signals: it drains HTTP first, then closes the pools.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    // Automatic persisted queries live in the shared cache (Redis when configured).
    persistedQueries: {
      cache: new KeyvAdapter<string>(infra.cache.keyv as unknown as ConstructorParameters<typeof KeyvAdapter<string>>[0]),
      ttl: 86_400,
    },
    formatError,
    validationRules: createQueryLimitRules(config.queryLimits),
    plugins: [
      // First, so an operation's time includes every other plugin's work.
      createMetricsPlugin({ metrics: infra.metrics, knownOperationNames: manifest.operationNames }),
      createBusinessMetricsPlugin({ onMutation: createMutationMetrics(infra.metrics) }),
      createInputSanityPlugin(),
      createQueryLimitsPlugin(config.queryLimits),
      // Before the cache and execution: an operation on the wrong transport goes no further.
      transport.plugin,
      createHttpRefusalsPlugin(),
      createErrorReportingPlugin(),
      createDatabaseOutagePlugin(),
      createGatewayOnlyPlugin(config.gateway),
      // After the limits: a refused operation never reaches the cache.
      ...createResponseCachePlugins({ keyv: infra.cache.keyv, generations, metrics: infra.metrics }),
      ...(infra.errorTracking.enabled ? [createSentryPlugin()] : []),
      // Apollo's usage reporting when configured; else explicitly off (Apollo would enable it from APOLLO_KEY).
      createUsageReportingPlugin(config.usageReporting),
      config.explorerEnabled ? createExplorerPlugin() : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();
  // app.close() stops accepting and waits for open requests; then operations whose client has gone
  // finish, and Apollo stops. (Apollo's Fastify drain plugin would call app.close() from inside it, which never resolves.)
  const inFlight = createInFlight();
  // Before the WebSockets are told to go away: from here no subscription resolves another event.
  app.addHook('preClose', (done) => {
    inFlight.drain();
    done();
  });
  app.addHook('onClose', async () => {
    if (inFlight.running > 0) app.log.info({ operations: inFlight.running }, 'waiting for operations whose client has gone');
    await inFlight.idle();
    await apollo.stop();
  });

  await app.register(websocket, {
    options: { maxPayload: config.http.bodyLimitBytes },
    preClose: closeWebSocketsGoingAway,
  });
  await app.register(async (graphql) => {
    graphql.addHook('onRequest', (request, reply, done) => {
      const signIn = (authenticated: Authenticated) => {
        request.viewer = authenticated.viewer;
        request.userAccess = authenticated.userAccess;
        done();
      };
      const refuse = (error: unknown) => {
        if (!(error instanceof AppError)) return done(error as Error);
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
        done(Object.assign(new Error(error.message), { statusCode: 401, extensions: error.extensions }));
      };
      const authenticated = authenticate(request.headers);
      if (authenticated instanceof Promise) authenticated.then(signIn, refuse);
      else signIn(authenticated);
    });
    // After authentication: only anonymous callers' public answers are served from memory. Before the manifest
    // check, which a hit has passed already: its key is the exact request an earlier anonymous caller sent.
    // Answers served from memory skip Apollo, so Apollo's usage reporting would not count them: with it on, they go through Apollo.
    if (config.usageReporting.kind !== 'apollo') registerResponseFastPath(graphql, { local: localResponses, metrics: infra.metrics });
    registerTrustedDocuments(graphql, { manifest: manifest.documents, enforceForAll: config.persistedQueriesOnly });
    stampRequestIdOnErrors(graphql);
    if (config.explorerEnabled) registerExplorerPolicy(graphql);
    // One path, two protocols: HTTP for queries and mutations, graphql-ws (a GET upgrade) for subscriptions.
    const apolloHandler = fastifyApolloHandler<GraphQLContext>(apollo, {
      context: async (request) =>
        createContext({
          requestId: request.id,
          log: request.log,
          ip: request.ip,
          viewer: request.viewer ?? { kind: 'anonymous' },
          transport: 'http',
          userAccess: request.userAccess ?? null,
        }),
    });
    const handler: typeof apolloHandler = function (request, reply) {
      return inFlight.track(Promise.resolve(apolloHandler.call(this, request, reply)));
    };
    graphql.route({ method: ['POST', 'OPTIONS'], url: '/graphql', handler });
    graphql.route({
      method: 'GET',
      url: '/graphql',
      handler,
      wsHandler: createSubscriptionHandler({
        schema,
        apollo,
        gate: transport,
        limits: createWebSocketLimits(config.websocketLimits, infra.metrics),
        authenticate,
        createContext,
        manifest: manifest.documents,
        enforceManifestForAll: config.persistedQueriesOnly,
        formatError,
        isProduction: config.isProduction,
        log: app.log,
        metrics: infra.metrics,
        errorTracking: infra.errorTracking,
        inFlight,
      }),
    });
  });
  registerHealthRoutes(app, infra);
  registerMetricsRoute(app, infra.metrics, config.operatorRoutes);
  return app;
}
