import { parseExposition, sumOf } from './prometheus-text.js';

/** One scrape of the server's /metrics (and, when the runner started the server, a GC probe). */
export interface ServerPoint {
  t: number;
  rssMb?: number;
  heapUsedMb?: number;
  /** Heap left after a forced full GC: what a leak shows in. */
  heapAfterGcMb?: number;
  eventLoopP99Ms?: number;
  /** Pool connections in use / DB_POOL_MAX (PostgreSQL only). */
  poolSaturation?: number;
  poolWaiting?: number;
  /** Response-cache hits / (hits + misses) since the previous scrape. */
  cacheHitRate?: number;
}

export interface ServerSampler {
  stop(): Promise<{ points: ServerPoint[]; unavailable?: string }>;
}

const mb = (bytes: number | undefined) => (bytes === undefined ? undefined : Math.round((bytes / 1_048_576) * 10) / 10);

/**
 * Scrapes `url`/metrics every `intervalMs` while a scenario runs: memory, event-loop delay, pool
 * saturation and the cache hit rate over each interval. `heapAfterGc` is asked at the same pace.
 */
export function sampleServer(
  url: string,
  intervalMs: number,
  elapsedS: () => number,
  heapAfterGc?: () => Promise<{ heapUsed: number } | undefined>,
): ServerSampler {
  const points: ServerPoint[] = [];
  let unavailable: string | undefined;
  let previousCache: { hits: number; misses: number } | undefined;
  let running = true;

  const scrapeOnce = async () => {
    const t = Math.round(elapsedS() * 10) / 10;
    const response = await fetch(`${url}/metrics`).catch(() => undefined);
    if (response?.status !== 200) {
      unavailable = `GET /metrics answered ${response?.status ?? 'nothing'}: server metrics are not in this report.`;
      return;
    }
    const samples = parseExposition(await response.text());
    const value = (name: string, labels?: Record<string, string>) => sumOf(samples, name, labels);
    // prom-client's default metrics, under the server's servio_ prefix.
    const runtime = (name: string) => value(`servio_${name}`) ?? value(name);
    const hits = value('servio_cache_responses_total', { result: 'hit' }) ?? 0;
    const misses = value('servio_cache_responses_total', { result: 'miss' }) ?? 0;
    const reads = previousCache ? hits - previousCache.hits + (misses - previousCache.misses) : 0;
    const cacheHitRate = previousCache && reads > 0 ? (hits - previousCache.hits) / reads : undefined;
    previousCache = { hits, misses };
    const poolMax = value('servio_db_pool_max_connections');
    const poolTotal = value('servio_db_pool_total_connections');
    const poolIdle = value('servio_db_pool_idle_connections');
    const eventLoop = runtime('nodejs_eventloop_lag_p99_seconds');
    const gc = await heapAfterGc?.();
    points.push({
      t,
      rssMb: mb(runtime('process_resident_memory_bytes')),
      heapUsedMb: mb(runtime('nodejs_heap_size_used_bytes')),
      heapAfterGcMb: mb(gc?.heapUsed),
      eventLoopP99Ms: eventLoop === undefined ? undefined : Math.round(eventLoop * 10_000) / 10,
      poolSaturation: poolMax && poolTotal !== undefined && poolIdle !== undefined ? (poolTotal - poolIdle) / poolMax : undefined,
      poolWaiting: value('servio_db_pool_waiting_requests'),
      cacheHitRate,
    });
  };

  const loop = (async () => {
    while (running) {
      const next = Date.now() + intervalMs;
      await scrapeOnce();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
    }
  })();

  return {
    async stop() {
      running = false;
      await loop;
      return { points, ...(unavailable && points.length === 0 ? { unavailable } : {}) };
    },
  };
}
