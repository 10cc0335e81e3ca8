import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../infra/metrics.js';

/**
 * GET /metrics: the Prometheus text exposition, or OpenMetrics when the scraper's `Accept` asks for it. Like the health probes it is never rate-limited (a
 * scraper is anonymous and regular); keep it off the public ingress, as it names operations.
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics): void {
  app.get('/metrics', { config: { rateLimit: false } }, async (request, reply) => {
    const { contentType, body } = await metrics.exposition(request.headers.accept);
    reply.type(contentType);
    return body;
  });
}
