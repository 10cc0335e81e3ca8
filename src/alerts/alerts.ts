import type { Config } from '../config.js';
import type { EventBus } from '../events/event-bus.js';
import type { CacheService } from '../infra/cache-service.js';
import type { Database } from '../infra/db.js';
import type { ExternalServices } from '../infra/external-services.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';
import { type AlertManager, createAlertManager, type Notifier } from './alert-manager.js';
import { createAlertRules } from './alert-rules.js';
import { watchLowStock } from './low-stock.js';
import { createMetricSources } from './metric-sources.js';
import { createLogNotifier, createWebhookNotifier } from './notifiers.js';

/**
 * The alert manager wired to this process: rules from config, its metrics, pool, cache and circuit
 * breakers as sources, the log (always) and the webhook (with ALERT_WEBHOOK_URL). `start()` also announces
 * low-stock events; nothing runs until it is called (main.ts does; tests call `evaluate()`).
 */
export function createAlerts(
  config: Config['alerts'],
  deps: {
    logger: Logger;
    metrics: Metrics;
    db: Database;
    cacheService: CacheService;
    events: EventBus;
    externalServices: ExternalServices;
  },
): AlertManager {
  const notifiers: Notifier[] = [createLogNotifier(deps.logger)];
  if (config.webhook.kind === 'webhook') notifiers.push(createWebhookNotifier({ url: config.webhook.url, logger: deps.logger }));
  const manager = createAlertManager({
    rules: createAlertRules(config.thresholds),
    sources: createMetricSources({
      registry: deps.metrics.registry,
      poolStats: () => deps.db.poolStats(),
      cacheStats: () => deps.cacheService.stats(),
      openBreakers: () => deps.externalServices.open(),
    }),
    notifiers,
    intervalMs: config.intervalMs,
    logger: deps.logger,
  });
  let stopWatching: (() => void) | null = null;
  return {
    ...manager,
    start() {
      manager.start();
      stopWatching ??= watchLowStock(deps.events, manager);
    },
    stop() {
      manager.stop();
      stopWatching?.();
      stopWatching = null;
    },
  };
}
