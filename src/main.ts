import { loadConfig } from './config.js';
import { seedDemoDataIfEmpty } from './demo/demo-seed.js';
import { createLogger } from './infra/logger.js';
import { applyPendingMigrations } from './infra/migrations/migrator.js';
import { createRuntime } from './runtime.js';
import { createServer } from './server.js';
import { startFailureMessage } from './startup/start-failure.js';
import { startLine } from './startup/start-line.js';
import { runStartupChecks } from './startup/startup-checks.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config);
  for (const warning of config.productionWarnings) logger.warn({ warning }, 'production setting to review');
  await runStartupChecks(config);
  const infra = await createRuntime(config, logger);
  logger.info({ database: infra.db.kind, cache: infra.cache.kind }, 'infrastructure ready');

  if (config.migrateOnStart) {
    const applied = await applyPendingMigrations(infra.db.adapterFactory);
    logger.info({ applied }, applied.length ? 'migrations applied' : 'database schema up to date');
  }
  if (config.seedOnEmpty && (await seedDemoDataIfEmpty(infra.db.prisma))) {
    logger.info('empty database: demo data seeded (see README, "Demo accounts")');
  }

  const app = await createServer(infra, { keepIdleConnectionsOnClose: true });
  await app.listen({ host: config.http.host, port: config.http.port });
  const address = app.server.address();
  logger.info(startLine(config, typeof address === 'object' && address ? address.port : config.http.port));
  infra.alerts.start();

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: draining in-flight requests');
    const forceExit = setTimeout(() => {
      logger.error({ timeoutMs: config.http.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.http.shutdownTimeoutMs);
    forceExit.unref();
    // Order matters: HTTP first (new requests 503, WebSockets 1001, in-flight requests finish, then
    // Apollo stops), and only then the pools those requests were using.
    await app.close();
    logger.info('http drained');
    await infra.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${startFailureMessage(error)}\n`);
  process.exit(1);
});
