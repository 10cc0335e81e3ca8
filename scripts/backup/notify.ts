import type { AlertNotification, Notifier } from '../../src/alerts/alert-manager.js';
import { createNotifiers } from '../../src/alerts/alerts.js';
import type { Config } from '../../src/config.js';
import { createExternalServices } from '../../src/infra/external-services.js';
import type { Logger } from '../../src/infra/logger.js';
import { createMetrics } from '../../src/infra/metrics.js';

export type BackupEvent = Omit<AlertNotification, 'at' | 'status' | 'severity'> & { ok: boolean };

/**
 * The API's alert notifiers (log, webhook/Slack, SMS), for jobs: a success is an `info` event, a
 * failure a `critical` alert, which SMS also carries. Every notifier is awaited before the job exits.
 */
export function createJobNotifier(config: Config, logger: Logger) {
  const metrics = createMetrics(config.metrics, { logger, poolStats: () => null });
  const externalServices = createExternalServices(config.circuitBreaker, { metrics, logger });
  const notifiers: Notifier[] = createNotifiers(config.alerts, { logger, externalServices });
  return {
    async notify({ ok, ...event }: BackupEvent) {
      const notification: AlertNotification = {
        ...event,
        status: ok ? 'info' : 'firing',
        severity: ok ? 'info' : 'critical',
        at: new Date(),
      };
      await Promise.allSettled(notifiers.map((notifier) => notifier(notification)));
    },
    async close() {
      externalServices.shutdown();
      await metrics.close();
    },
  };
}
