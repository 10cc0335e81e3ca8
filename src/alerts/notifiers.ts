import type { Logger } from '../infra/logger.js';
import type { AlertNotification, Notifier } from './alert-manager.js';

/** Logs firing alerts at warn (error when critical), resolutions and business events at info. */
export function createLogNotifier(logger: Logger): Notifier {
  const log = logger.child({ component: 'alerts' });
  return async (notification) => {
    const level = notification.status === 'firing' ? (notification.severity === 'critical' ? 'error' : 'warn') : 'info';
    log[level](
      { alert: notification.name, status: notification.status, severity: notification.severity, ...notification.details },
      notification.summary,
    );
  };
}

const colors = { firing: { critical: 'danger', warning: 'warning', info: '#439FE0' }, resolved: 'good', info: '#439FE0' } as const;

/** Slack's incoming-webhook JSON (`text` plus one legacy attachment), which most chat tools also accept. */
export function toSlackMessage(notification: AlertNotification) {
  const label = notification.status === 'firing' ? notification.severity.toUpperCase() : notification.status.toUpperCase();
  return {
    text: `[${label}] ${notification.summary}`,
    attachments: [
      {
        color: notification.status === 'firing' ? colors.firing[notification.severity] : colors[notification.status],
        title: notification.title,
        fields: [
          { title: 'alert', value: notification.name, short: true },
          { title: 'status', value: notification.status, short: true },
          { title: 'severity', value: notification.severity, short: true },
          ...Object.entries(notification.details).map(([title, value]) => ({ title, value, short: true })),
        ],
        ts: Math.floor(notification.at.getTime() / 1000),
      },
    ],
  };
}

export interface WebhookNotifierOptions {
  /** ALERT_WEBHOOK_URL. Never logged: Slack webhook URLs are credentials. */
  url: string;
  logger: Logger;
  /** Abandon a delivery after this long (default 5,000 ms). */
  timeoutMs?: number;
}

/** POSTs Slack-compatible JSON. A failure or non-2xx answer is logged at warn, never thrown. */
export function createWebhookNotifier(options: WebhookNotifierOptions): Notifier {
  const log = options.logger.child({ component: 'alerts' });
  const timeoutMs = options.timeoutMs ?? 5_000;
  return async (notification) => {
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(toSlackMessage(notification)),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (!response.ok) log.warn({ alert: notification.name, status: response.status }, 'alert webhook refused the notification');
    } catch (error) {
      log.warn({ alert: notification.name, err: error }, 'alert webhook delivery failed');
    }
  };
}
