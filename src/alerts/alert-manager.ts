import type { Logger } from '../infra/logger.js';
import { type AlertRule, type AlertSnapshot, formatValue, isBreached } from './alert-rules.js';

/** One notification: a rule starting or stopping to fire, or a business event (`info`). */
export interface AlertNotification {
  status: 'firing' | 'resolved' | 'info';
  name: string;
  title: string;
  severity: 'info' | 'warning' | 'critical';
  /** One line for humans: `GraphQL error rate is 50% (above 1%)`. */
  summary: string;
  /** Extra facts shown as fields (`value`, `threshold`, `restaurantId` …). */
  details: Record<string, string>;
  at: Date;
}

/** Delivers notifications somewhere. Must not throw: a failed delivery is the notifier's to log. */
export type Notifier = (notification: AlertNotification) => Promise<void>;

export interface AlertSources {
  snapshot(): Promise<AlertSnapshot>;
}

export interface AlertManagerOptions {
  rules: readonly AlertRule[];
  sources: AlertSources;
  notifiers: readonly Notifier[];
  /** Time between scheduled evaluations (ALERTS_INTERVAL_MS). */
  intervalMs: number;
  logger: Logger;
  /** The clock; tests pass a fake one. */
  now?: () => Date;
}

export interface AlertManager {
  /** Reads the sources once and notifies the rules that started or stopped firing; returns those notifications. */
  evaluate(): Promise<AlertNotification[]>;
  /** Delivers a one-off notification (a business event) to every notifier; no state is kept. */
  announce(notification: Omit<AlertNotification, 'at'>): Promise<void>;
  /** Names of the rules firing now. */
  firing(): string[];
  /** Evaluates every `intervalMs` on an unref'd timer (it never keeps the process alive). */
  start(): void;
  stop(): void;
}

/**
 * Rules are per process: each instance alerts on its own metrics. A rule notifies once when its
 * condition becomes true and once when it clears, never repeatedly while it stays true.
 */
export function createAlertManager(options: AlertManagerOptions): AlertManager {
  const { rules, sources, notifiers, intervalMs, logger } = options;
  const now = options.now ?? (() => new Date());
  const firingSince = new Map<string, Date>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<AlertNotification[]> | null = null;

  const deliver = async (notification: AlertNotification) => {
    const results = await Promise.allSettled(notifiers.map((notify) => notify(notification)));
    for (const result of results) {
      if (result.status === 'rejected')
        logger.warn({ component: 'alerts', err: result.reason, alert: notification.name }, 'notifier failed');
    }
  };

  const evaluateOnce = async () => {
    const snapshot = await sources.snapshot();
    const at = now();
    const changes: AlertNotification[] = [];
    for (const rule of rules) {
      const value = rule.measure(snapshot);
      if (value === null) continue;
      const breached = isBreached(rule, value);
      const since = firingSince.get(rule.name);
      if (breached === (since !== undefined)) continue;
      const details: Record<string, string> = {
        value: formatValue(value, rule.unit),
        threshold: `${rule.comparator} ${formatValue(rule.threshold, rule.unit)}`,
      };
      if (breached) {
        firingSince.set(rule.name, at);
        Object.assign(details, rule.describe?.(snapshot));
      } else {
        firingSince.delete(rule.name);
        details.firingForSeconds = String(Math.round((at.getTime() - (since as Date).getTime()) / 1000));
      }
      changes.push({
        status: breached ? 'firing' : 'resolved',
        name: rule.name,
        title: rule.title,
        severity: rule.severity,
        summary: `${rule.title} is ${details.value} (${breached ? '' : 'no longer '}${details.threshold})`,
        details,
        at,
      });
    }
    for (const change of changes) await deliver(change);
    return changes;
  };

  const manager: AlertManager = {
    evaluate() {
      // One evaluation at a time: a slow webhook must not let two overlap and double-notify.
      running ??= evaluateOnce().finally(() => {
        running = null;
      });
      return running;
    },
    announce: (notification) => deliver({ ...notification, at: now() }),
    firing: () => [...firingSince.keys()],
    start() {
      if (timer) return;
      timer = setInterval(() => {
        manager.evaluate().catch((error: unknown) => logger.error({ component: 'alerts', err: error }, 'alert evaluation failed'));
      }, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
  return manager;
}
