import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo from '@as-integrations/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { GraphQLContext } from './context.js';
import { registerHealthRoutes } from './health/health.routes.js';
import type { Infra } from './infra/infra.js';
import { createLoaders } from './loaders.js';
import { createErrorReportingPlugin } from './plugins/error-reporting.plugin.js';
import { createFormatError } from './plugins/format-error.js';
import { createQueryLimitRules, createQueryLimitsPlugin } from './plugins/query-limits/index.js';
import { createSchema } from './schema.js';

const requestIdPattern = /^[\w.:-]{1,128}$/;

/**
 * The HTTP server: Fastify with GraphQL at /graphql and the health routes. It never listens;
 * main.ts (or a test) decides where.
 */
export async function createServer(infra: Infra): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: infra.logger as FastifyBaseLogger,
    // Honour a caller's request id (from a gateway or load balancer), else make one.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const apollo = new ApolloServer<GraphQLContext>({
    schema: createSchema(),
    logger: infra.logger.child({ component: 'apollo' }),
    introspection: !infra.config.isProduction,
    includeStacktraceInErrorResponses: false,
    // main.ts owns the signals: it drains HTTP first, then closes the pools.
    stopOnTerminationSignals: false,
    formatError: createFormatError({ includeStacktrace: infra.config.env === 'development' }),
    validationRules: createQueryLimitRules(infra.config.queryLimits),
    plugins: [
      createQueryLimitsPlugin(infra.config.queryLimits),
      createErrorReportingPlugin(),
      ...(infra.config.isProduction ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();
  // app.close() stops accepting and waits for in-flight requests; then Apollo stops. (Apollo's
  // Fastify drain plugin would call app.close() from inside it, which never resolves.)
  app.addHook('onClose', () => apollo.stop());

  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    context: async (request) => ({
      requestId: request.id,
      log: request.log,
      loaders: createLoaders(infra.db.prisma),
    }),
  });
  registerHealthRoutes(app, infra);
  return app;
}
