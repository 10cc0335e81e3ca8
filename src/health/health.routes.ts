import type { FastifyInstance } from 'fastify';
import type { Infra } from '../infra/infra.js';
import { apiVersion } from '../version.js';
import { runReadinessChecks } from './health-checks.js';

/**
 * Health routes for load balancers and orchestrators:
 * /health and /health/live say the process serves HTTP; /health/ready says it can do its job;
 * /health/detailed is for humans and dashboards.
 */
export function registerHealthRoutes(app: FastifyInstance, infra: Infra): void {
  const alive = async () => ({ status: 'ok' });
  app.get('/health', alive);
  app.get('/health/live', alive);

  app.get('/health/ready', async (_request, reply) => {
    const checks = await runReadinessChecks(infra);
    const failing = Object.keys(checks).filter((name) => checks[name]?.status !== 'ok');
    reply.code(failing.length === 0 ? 200 : 503);
    return failing.length === 0 ? { status: 'ok', checks } : { status: 'fail', failing, checks };
  });

  app.get('/health/detailed', async (_request, reply) => {
    const checks = await runReadinessChecks(infra);
    const healthy = Object.values(checks).every((check) => check.status === 'ok');
    const memory = process.memoryUsage();
    reply.code(healthy ? 200 : 503);
    return {
      status: healthy ? 'ok' : 'fail',
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
