import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../infra/metrics.js';

/**
 * Times every HTTP response by route pattern (`/graphql`, never the raw URL, so ids and query
 * strings cannot multiply the series), method and status. Unmatched paths share one label.
 */
export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    metrics.timing('http.request.duration', reply.elapsedTime, {
      route: request.routeOptions.url ?? 'unmatched',
      method: request.method,
      status: String(reply.statusCode),
    });
    done();
  });
}
