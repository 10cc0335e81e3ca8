import type { BackupMonitor } from '../backup/backup-monitor.js';
import type { Config } from '../config.js';
import type { EventBus } from '../events/event-bus.js';
import type { CacheService } from '../infra/cache-service.js';
import type { Database } from '../infra/db.js';
import type { ExternalServices } from '../infra/external-services.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';
import { type AlertManager, createAlertManager, type Notifier } from './alert-manager.js';
import { createAlertRules, createBackupAgeRule } from './alert-rules.js';
import { watchLowStock } from './low-stock.js';
import { createMetricSources } from './metric-sources.js';
import { createLogNotifier, createWebhookNotifier } from './notifiers.js';
import { createSmsNotifier } from './sms-notifier.js';
import { createTwilioClient, isTwilioOutage } from './twilio-client.js';

/**
 * The alert manager wired to this process: rules from config, its metrics, pool, cache and circuit
 * breakers as sources, the log (always), the webhook (with ALERT_WEBHOOK_URL) and SMS through Twilio for
 * critical alerts (with the TWILIO_* settings and ALERT_SMS_TO). `start()` also announces
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
    /** With BACKUP_RPO_HOURS: the backup-age rule and its source. */
    backups?: BackupMonitor | null;
  },
): AlertManager {
  const notifiers = createNotifiers(config, deps);
  const manager = createAlertManager({
    rules: [...createAlertRules(config.thresholds), ...(deps.backups ? [createBackupAgeRule(deps.backups.rpoHours)] : [])],
    sources: createMetricSources({
      registry: deps.metrics.registry,
      poolStats: () => deps.db.poolStats(),
      cacheStats: () => deps.cacheService.stats(),
      openBreakers: () => deps.externalServices.open(),
      backupAgeHours: deps.backups ? () => (deps.backups as BackupMonitor).ageHours() : undefined,
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

/**
 * The configured notifiers: the log (always), the webhook (with ALERT_WEBHOOK_URL) and SMS through
 * Twilio (with the TWILIO_* settings and ALERT_SMS_TO). The backup scripts notify through these too.
 */
export function createNotifiers(
  config: Config['alerts'],
  deps: { logger: Logger; externalServices: Pick<ExternalServices, 'register'> },
): Notifier[] {
  const notifiers: Notifier[] = [createLogNotifier(deps.logger)];
  if (config.webhook.kind === 'webhook') notifiers.push(createWebhookNotifier({ url: config.webhook.url, logger: deps.logger }));
  if (config.sms.kind === 'twilio') {
    const { accountSid, authToken, apiBaseUrl, from, to, limits } = config.sms;
    // Only Twilio's outages (5xx, 429, no answer) open the breaker; a 4xx such as a bad number does not.
    const service = deps.externalServices.register('twilio', { ...limits, isOutage: isTwilioOutage });
    const client = createTwilioClient({ accountSid, authToken, apiBaseUrl, timeoutMs: limits.timeoutMs });
    notifiers.push(createSmsNotifier({ client, service, from, to, logger: deps.logger }));
  }
  return notifiers;
}
