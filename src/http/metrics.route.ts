import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Metrics } from '../infra/metrics.js';
import { operatorOnly } from './operator-routes.js';

/**
 * GET /metrics: the Prometheus text exposition, or OpenMetrics when the scraper's `Accept` asks for it.
 * Like the health probes it is never rate-limited (a scraper is regular); it names operations, so it
 * is for the operator token only (operator-routes.ts).
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics, access: Config['operatorRoutes']): void {
  app.get('/metrics', { config: { rateLimit: false }, onRequest: operatorOnly(access) }, async (request, reply) => {
    const { contentType, body } = await metrics.exposition(request.headers.accept);
    reply.type(contentType);
    return body;
  });
}
