import type { FastifyInstance } from 'fastify';
import { operatorOnly } from '../http/operator-routes.js';
import type { Infra } from '../infra/infra.js';
import { apiVersion } from '../version.js';
import { readiness, runReadinessChecks } from './health-checks.js';

/**
 * Health routes for load balancers and orchestrators:
 * /health and /health/live say the process serves HTTP; /health/ready says it can do its job (200
 * `ok`, 200 `degraded` while only Redis fails, 503 `fail`); /health/detailed is for operators.
 */
export function registerHealthRoutes(app: FastifyInstance, infra: Infra): void {
  const alive = async () => ({ status: 'ok' });
  app.get('/health', alive);
  app.get('/health/live', alive);

  app.get('/health/ready', async (_request, reply) => {
    const checks = await runReadinessChecks(infra);
    const { status, failing } = readiness(checks);
    reply.code(status === 'fail' ? 503 : 200);
    return status === 'ok' ? { status, checks } : { status, failing, checks };
  });

  // Node version, pid, memory and pool sizes are for operators only (operator-routes.ts).
  app.get('/health/detailed', { onRequest: operatorOnly(infra.config.operatorRoutes) }, async (_request, reply) => {
    const checks = await runReadinessChecks(infra);
    const { status } = readiness(checks);
    const memory = process.memoryUsage();
    reply.code(status === 'fail' ? 503 : 200);
    return {
      status,
      version: apiVersion,
      environment: infra.config.env,
      uptimeSeconds: Math.round(process.uptime()),
      checks,
      database: { kind: infra.db.kind, pool: infra.db.poolStats() },
      cache: { kind: infra.cache.kind, ...infra.cacheService.stats() },
      circuitBreakers: infra.externalServices.statuses(),
      system: {
        node: process.version,
        pid: process.pid,
        memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, heapTotalBytes: memory.heapTotal, externalBytes: memory.external },
      },
    };
  });
}
