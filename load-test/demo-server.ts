import { loadConfig } from '../src/config.js';
import { seedDemoData } from '../src/demo/demo-seed.js';
import { createLogger } from '../src/infra/logger.js';
import { applyPendingMigrations } from '../src/infra/migrations/migrator.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { createServer } from '../src/server.js';

export interface DemoServer {
  /** The server's root, e.g. http://127.0.0.1:53211. */
  url: string;
  infra: Runtime;
  close(): Promise<void>;
}

/** Rate limits out of the way: a load test is one client, or one user, sending thousands of requests. */
const unlimited = '1000000/60';

/**
 * The real server on 127.0.0.1 (a free port) over a private in-memory embedded database, migrated
 * and seeded with the demo data (src/demo). The database is always private, whatever `env` says:
 * the demo's slugs and emails are fixed, so it cannot share a database with other suites or with
 * `npm start`. Everything else (REDIS_URL for a Redis response cache, OPENAI_*) comes from `env`.
 * Alerts are not scheduled.
 */
export async function startDemoServer(env: Record<string, string | undefined> = {}): Promise<DemoServer> {
  const config = loadConfig({
    LOG_LEVEL: 'warn',
    RATE_LIMIT_AUTH: unlimited,
    RATE_LIMIT_API: unlimited,
    RATE_LIMIT_HEAVY: unlimited,
    RATE_LIMIT_ANONYMOUS_HTTP: unlimited,
    ...env,
    DATABASE_URL: undefined,
    EMBEDDED_DATA_DIR: 'memory://',
    HOST: '127.0.0.1',
    PORT: '0',
  });
  const infra = await createRuntime(config, createLogger(config));
  try {
    await applyPendingMigrations(infra.db.adapterFactory);
    await seedDemoData(infra.db.prisma);
    const app = await createServer(infra);
    await app.listen({ host: config.http.host, port: config.http.port });
    const address = app.server.address();
    return {
      url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      infra,
      async close() {
        await app.close();
        await infra.close();
      },
    };
  } catch (error) {
    await infra.close();
    throw error;
  }
}
