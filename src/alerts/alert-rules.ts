import type { Config } from '../config.js';

/**
 * What the rules read, gathered once per evaluation. `null` means "no data this interval" (no
 * traffic, no pool on the embedded database, too few cache reads): the rule is skipped and keeps
 * its state, so a quiet minute neither fires nor resolves anything.
 */
export interface AlertSnapshot {
  /** p95 of GraphQL operation durations since the previous snapshot, in ms (histogram bucket bound). */
  p95Ms: number | null;
  /** GraphQL errors per operation since the previous snapshot. */
  errorRate: number | null;
  /** Connections in use / DB_POOL_MAX; null on the embedded database. */
  poolSaturation: number | null;
  /** Cache hits / reads since the previous snapshot; null under `minCacheReads` reads. */
  cacheHitRate: number | null;
  /** V8 heap used / the heap size limit. */
  heapRatio: number | null;
  /** Names of the external services whose circuit breaker is open now. */
  openBreakers: string[];
  /** Hours since the newest backup finished (Infinity: none); null when BACKUP_RPO_HOURS is unset. */
  backupAgeHours: number | null;
}

export type Severity = 'warning' | 'critical';

export interface AlertRule {
  /** Stable identifier, used for deduplication and in messages (`p95_latency`). */
  name: string;
  /** A human title for notifications. */
  title: string;
  severity: Severity;
  /** `above`: fires when the value is greater than the threshold; `below`: when it is less. */
  comparator: 'above' | 'below';
  threshold: number;
  /** The unit appended to values in messages (`ms`, `%` for ratios shown as percentages, none for counts). */
  unit: 'ms' | 'ratio' | 'count' | 'hours';
  measure(snapshot: AlertSnapshot): number | null;
  /** Facts to add to a firing notification's details (which breakers are open). */
  describe?(snapshot: AlertSnapshot): Record<string, string>;
}

export function isBreached(rule: AlertRule, value: number): boolean {
  return rule.comparator === 'above' ? value > rule.threshold : value < rule.threshold;
}

/** The operational rules, thresholds from config. */
export function createAlertRules(thresholds: Config['alerts']['thresholds']): AlertRule[] {
  return [
    {
      name: 'p95_latency',
      title: 'GraphQL p95 latency',
      severity: 'warning',
      comparator: 'above',
      threshold: thresholds.p95Ms,
      unit: 'ms',
      measure: (snapshot) => snapshot.p95Ms,
    },
    {
      name: 'error_rate',
      title: 'GraphQL error rate',
      severity: 'critical',
      comparator: 'above',
      threshold: thresholds.errorRate,
      unit: 'ratio',
      measure: (snapshot) => snapshot.errorRate,
    },
    {
      name: 'db_pool_saturation',
      title: 'Database pool saturation',
      severity: 'critical',
      comparator: 'above',
      threshold: thresholds.poolSaturation,
      unit: 'ratio',
      measure: (snapshot) => snapshot.poolSaturation,
    },
    {
      name: 'cache_hit_rate',
      title: 'Cache hit rate',
      severity: 'warning',
      comparator: 'below',
      threshold: thresholds.cacheHitRateMin,
      unit: 'ratio',
      measure: (snapshot) => snapshot.cacheHitRate,
    },
    {
      name: 'heap_usage',
      title: 'Heap usage',
      severity: 'critical',
      comparator: 'above',
      threshold: thresholds.heapRatio,
      unit: 'ratio',
      measure: (snapshot) => snapshot.heapRatio,
    },
    {
      // Any open breaker is news: a provider (OpenAI, Twilio) is failing and its feature is off.
      name: 'circuit_breaker_open',
      title: 'Open circuit breakers',
      severity: 'critical',
      comparator: 'above',
      threshold: 0,
      unit: 'count',
      measure: (snapshot) => snapshot.openBreakers.length,
      describe: (snapshot) => ({ breakers: snapshot.openBreakers.join(', ') }),
    },
  ];
}

/**
 * Fires when the newest backup is older than the RPO (or there is none): the backup job has stopped
 * succeeding, whatever the reason (its own failure notification may never have been sent).
 */
export function createBackupAgeRule(rpoHours: number): AlertRule {
  return {
    name: 'backup_age',
    title: 'Age of the newest backup',
    severity: 'critical',
    comparator: 'above',
    threshold: rpoHours,
    unit: 'hours',
    measure: (snapshot) => snapshot.backupAgeHours,
  };
}

/** `12 ms`, `3.5%`, `26.5 h`. */
export function formatValue(value: number, unit: AlertRule['unit']): string {
  if (unit === 'count') return String(value);
  if (unit === 'hours') return Number.isFinite(value) ? `${Number(value.toFixed(1))} h` : 'infinite (no backup found)';
  return unit === 'ms' ? `${Math.round(value)} ms` : `${Number((value * 100).toFixed(2))}%`;
}
