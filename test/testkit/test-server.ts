import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createInfra, type Infra } from '../../src/infra/infra.js';
import { createLogger } from '../../src/infra/logger.js';
import { applyPendingMigrations } from '../../src/infra/migrations/migrator.js';
import { createServer } from '../../src/server.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }> };
}

export interface TestServer {
  url: string;
  infra: Infra;
  app: FastifyInstance;
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/**
 * The real server on 127.0.0.1, port 0: the run's PostgreSQL/Redis when CI provides them,
 * else a private in-memory PGlite with migrations applied.
 */
export async function startTestServer(env: Record<string, string> = {}, options: { migrate?: boolean } = {}): Promise<TestServer> {
  const databaseUrl = inject('databaseUrl');
  const redisUrl = inject('redisUrl');
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    EMBEDDED_DATA_DIR: 'memory://',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, DB_POOL_MIN: '0', DB_POOL_MAX: '5' } : {}),
    ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: inject('redisKeyPrefix') } : {}),
    ...env,
  });
  const infra = await createInfra(config, createLogger(config));
  if (config.database.kind === 'embedded' && options.migrate !== false) await applyPendingMigrations(infra.db.adapterFactory);
  const app = await createServer(infra);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    infra,
    app,
    async graphql(query, variables, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<never>['body'] };
    },
    async close() {
      await app.close();
      await infra.close();
    },
  };
}

/** Counts the SQL statements Prisma sends while `work` runs. */
export async function countStatements(server: TestServer, work: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const stop = server.infra.db.onQuery((event) => statements.push(event.query));
  try {
    await work();
  } finally {
    stop();
  }
  return statements;
}

/** Tests read arbitrary JSON bodies and assert on their shape. */
// biome-ignore lint/suspicious/noExplicitAny: assertions, not types, check these bodies.
export type Json = any;

export async function readJson(response: Response): Promise<Json> {
  return response.json();
}
