import { getHeapStatistics } from 'node:v8';
import type { Registry } from 'prom-client';
import type { CacheService } from '../infra/cache-service.js';
import type { PoolStats } from '../infra/db.js';
import type { AlertSources } from './alert-manager.js';
import type { AlertSnapshot } from './alert-rules.js';

export interface MetricSourcesDeps {
  registry: Registry;
  poolStats: () => PoolStats | null;
  cacheStats: CacheService['stats'];
  /** Names of the circuit breakers open now. */
  openBreakers: () => string[];
  /** Hours since the newest backup (absent when backups are not monitored). */
  backupAgeHours?: () => Promise<number>;
  /** The cache hit rate is judged only on at least this many reads in the interval (default 100). */
  minCacheReads?: number;
  /** Heap used and the limit, in bytes (default: this process's V8 heap). */
  heap?: () => { used: number; limit: number };
}

const operationHistogram = 'servio_graphql_operation_duration_seconds';
const errorCounter = 'servio_graphql_errors_total';

/**
 * Reads the process's own metrics. Latency, errors and cache reads are cumulative counters: each
 * snapshot reports the difference since the previous one, i.e. the last interval.
 */
export function createMetricSources(deps: MetricSourcesDeps): AlertSources {
  const minCacheReads = deps.minCacheReads ?? 100;
  const heap = deps.heap ?? (() => ({ used: process.memoryUsage().heapUsed, limit: getHeapStatistics().heap_size_limit }));
  let previous = { buckets: new Map<number, number>(), operations: 0, errors: 0, hits: 0, misses: 0 };

  return {
    async snapshot(): Promise<AlertSnapshot> {
      const histogram = await deps.registry.getSingleMetric(operationHistogram)?.get();
      const errors = await deps.registry.getSingleMetric(errorCounter)?.get();
      // Cumulative bucket counts by upper bound (seconds), summed over every operation label.
      const buckets = new Map<number, number>();
      let operations = 0;
      for (const sample of histogram?.values ?? []) {
        const name = (sample as { metricName?: string }).metricName;
        if (name?.endsWith('_count')) operations += sample.value;
        if (name?.endsWith('_bucket')) {
          const bound = Number(sample.labels.le);
          buckets.set(bound, (buckets.get(bound) ?? 0) + sample.value);
        }
      }
      const errorCount = (errors?.values ?? []).reduce((sum, sample) => sum + sample.value, 0);
      const cache = deps.cacheStats();

      const intervalOperations = operations - previous.operations;
      const intervalReads = cache.hits + cache.misses - previous.hits - previous.misses;
      const pool = deps.poolStats();
      const { used, limit } = heap();
      const snapshot: AlertSnapshot = {
        p95Ms: intervalOperations > 0 ? quantileMs(buckets, previous.buckets, intervalOperations, 0.95) : null,
        errorRate: intervalOperations > 0 ? (errorCount - previous.errors) / intervalOperations : null,
        poolSaturation: pool ? (pool.total - pool.idle) / pool.max : null,
        cacheHitRate: intervalReads >= minCacheReads ? (cache.hits - previous.hits) / intervalReads : null,
        heapRatio: limit > 0 ? used / limit : null,
        openBreakers: deps.openBreakers(),
        backupAgeHours: deps.backupAgeHours ? await deps.backupAgeHours() : null,
      };
      previous = { buckets, operations, errors: errorCount, hits: cache.hits, misses: cache.misses };
      return snapshot;
    },
  };
}

/**
 * The upper bound of the first bucket holding the quantile, over the interval's observations (a
 * bound, not an interpolation: "p95 ≤ 250 ms"). Beyond the last finite bucket it is that bucket's bound.
 */
function quantileMs(now: Map<number, number>, before: Map<number, number>, total: number, quantile: number): number {
  const bounds = [...now.keys()].sort((a, b) => a - b);
  const finite = bounds.filter(Number.isFinite);
  for (const bound of bounds) {
    if ((now.get(bound) ?? 0) - (before.get(bound) ?? 0) >= quantile * total) {
      return (Number.isFinite(bound) ? bound : (finite.at(-1) ?? 0)) * 1000;
    }
  }
  return (finite.at(-1) ?? 0) * 1000;
}
