import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/infra/logger.js';
import { applyPendingMigrations } from '../../src/infra/migrations/migrator.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { createSchema } from '../../src/schema.js';
import { createServer } from '../../src/server.js';

export interface HandbookServer {
  url: string;
  infra: Runtime;
  app: FastifyInstance;
  schema: GraphQLSchema;
  close(): Promise<void>;
}

/**
 * The real server on an in-memory embedded database, for `npm run docs:check`: its routes, metrics and
 * schema are read, and the smoke test runs against it.
 */
export async function startHandbookServer(): Promise<HandbookServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    EMBEDDED_DATA_DIR: 'memory://',
    JWT_SECRET: randomBytes(32).toString('hex'),
  });
  const infra = await createRuntime(config, createLogger(config));
  await applyPendingMigrations(infra.db.adapterFactory);
  const app = await createServer(infra);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    infra,
    app,
    schema: createSchema({ rateLimits: config.rateLimits, redis: infra.redis }),
    async close() {
      await app.close();
      await infra.close();
    },
  };
}
