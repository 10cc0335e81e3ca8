import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/infra/logger.js';
import { applyPendingMigrations } from '../../src/infra/migrations/migrator.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { createServer } from '../../src/server.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }> };
}

export interface TestServer {
  url: string;
  /** The client address this server's requests claim (x-forwarded-for), unique per server. */
  clientIp: string;
  infra: Runtime;
  app: FastifyInstance;
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Signs in through the real `login` mutation; returns the headers to act as that user. */
  loginAs(email: string, password?: string): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

export const testPassword = 'correct horse battery staple';

/**
 * Defaults for tests: a fixed JWT secret, limits high enough not to interfere (the rate-limit
 * suites set their own), and trusted x-forwarded-for so each server has its own client address.
 */
const testDefaults = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  EMBEDDED_DATA_DIR: 'memory://',
  JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
  TRUST_PROXY: 'true',
  RATE_LIMIT_AUTH: '10000/60',
  RATE_LIMIT_API: '100000/60',
  RATE_LIMIT_HEAVY: '10000/60',
  RATE_LIMIT_ANONYMOUS_HTTP: '100000/60',
};

/**
 * The real server on 127.0.0.1, port 0: the run's PostgreSQL/Redis when CI provides them,
 * else a private in-memory PGlite with migrations applied.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  /** embedded: a private in-memory database even when the run has PostgreSQL (for the fixed demo slugs). */
  options: { migrate?: boolean; embedded?: boolean } = {},
): Promise<TestServer> {
  const databaseUrl = options.embedded ? undefined : inject('databaseUrl');
  const redisUrl = inject('redisUrl');
  const config = loadConfig({
    ...testDefaults,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, DB_POOL_MIN: '0', DB_POOL_MAX: '5' } : {}),
    ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: inject('redisKeyPrefix') } : {}),
    ...env,
  });
  const infra = await createRuntime(config, createLogger(config));
  if (config.database.kind === 'embedded' && options.migrate !== false) await applyPendingMigrations(infra.db.adapterFactory);
  const app = await createServer(infra);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // A documentation-range address (RFC 3849): only ever a header value, never a destination.
  const clientIp = `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;
  const server: TestServer = {
    url,
    clientIp,
    infra,
    app,
    async graphql(query, variables, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': clientIp, ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<never>['body'] };
    },
    async loginAs(email, password = testPassword) {
      const { body } = await server.graphql<{ login: { accessToken: string } }>(
        'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
        { email, password },
      );
      const token = body.data?.login.accessToken;
      if (!token) throw new Error(`login as ${email} failed: ${JSON.stringify(body.errors)}`);
      return { authorization: `Bearer ${token}` };
    },
    async close() {
      await app.close();
      await infra.close();
    },
  };
  return server;
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

/** The `extensions.code` of a GraphQL response body's first error. */
export const errorCode = (body: Json): string | undefined => body.errors?.[0]?.extensions?.code;

export async function readJson(response: Response): Promise<Json> {
  return response.json();
}
