import Negotiator from 'negotiator';
import { collectDefaultMetrics, type OpenMetricsContentType, Registry } from 'prom-client';

/**
 * prom-client's defaults, minus the three `nodejs_active_{handles,requests,resources}_total` gauges:
 * a gauge must not end in `_total` (promtool and OpenMetrics reject it), and each is only the sum of
 * the labelled gauge of the same name without the suffix.
 */
export function registerDefaultMetrics(registry: Registry, prefix: string): void {
  collectDefaultMetrics({ register: registry, prefix });
  for (const name of ['active_handles', 'active_requests', 'active_resources']) {
    registry.removeSingleMetric(`${prefix}nodejs_${name}_total`);
  }
}

const formats = [Registry.PROMETHEUS_CONTENT_TYPE, Registry.OPENMETRICS_CONTENT_TYPE];

/**
 * The registry in the format the scraper's `Accept` prefers: OpenMetrics 1.0 or Prometheus text 0.0.4
 * (the default, also for no or an unknown `Accept`).
 */
export async function renderExposition(registry: Registry, accept: string | undefined): Promise<{ contentType: string; body: string }> {
  // Parameters count: Prometheus asks for `application/openmetrics-text;version=1.0.0`.
  const preferred = new Negotiator({ headers: { accept: accept ?? '*/*' } }).mediaType(formats);
  if (preferred !== Registry.OPENMETRICS_CONTENT_TYPE) {
    return { contentType: registry.contentType, body: await registry.metrics() };
  }
  // prom-client renders OpenMetrics by renaming each counter in place (dropping `_total`), which would
  // then leak into later Prometheus scrapes: render views of the metrics instead, whose renames stay theirs.
  const openMetrics = new Registry<OpenMetricsContentType>();
  openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  for (const metric of registry.getMetricsAsArray()) openMetrics.registerMetric(Object.create(metric));
  return { contentType: openMetrics.contentType, body: await openMetrics.metrics() };
}
