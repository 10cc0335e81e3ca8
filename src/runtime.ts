import type { AlertManager } from './alerts/alert-manager.js';
import { createAlerts } from './alerts/alerts.js';
import { createBackupMonitor } from './backup/backup-monitor.js';
import type { Config } from './config.js';
import { createEventBus, type EventBus } from './events/event-bus.js';
import { createInfra, type Infra } from './infra/infra.js';
import type { Logger } from './infra/logger.js';

/** Infrastructure plus what is built on it for the domain: the event bus and the alert manager. */
export interface Runtime extends Infra {
  readonly events: EventBus;
  /** Alert rules over this process's metrics; main.ts starts the schedule, tests call `evaluate()`. */
  readonly alerts: AlertManager;
}

/** Built once in main.ts (or a test) and passed to createServer. */
export async function createRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const infra = await createInfra(config, logger);
  const events = await createEventBus(infra.redis, (error) => logger.warn({ component: 'events', err: error }, 'event delivery failed'));
  // The API never takes backups; it reads the newest manifest for the backup gauges and backup_age alert.
  const backups = await createBackupMonitor(config.backup, infra);
  const alerts = createAlerts(config.alerts, { ...infra, events, backups });
  return {
    ...infra,
    events,
    alerts,
    async close() {
      alerts.stop();
      backups?.close();
      await events.close();
      await infra.close();
    },
  };
}
