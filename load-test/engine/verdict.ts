import type { ScenarioDefinition } from '../scenarios.js';
import type { Percentiles, Recorder } from './recorder.js';
import type { ServerPoint } from './server-metrics.js';

export interface ThresholdResult {
  name: string;
  limit: string;
  actual: string;
  passed: boolean;
}

const percent = (rate: number) => `${Math.round(rate * 10_000) / 100} %`;

/** Response-cache hit rate from the answers' x-cache headers (undefined when nothing was cacheable). */
export function cacheHitRate(recorder: Recorder): number | undefined {
  const hits = recorder.counters['cache HIT'] ?? 0;
  const reads = hits + (recorder.counters['cache MISS'] ?? 0);
  return reads ? hits / reads : undefined;
}

/**
 * Growth of the server's heap after GC from the first to the last quarter of the samples taken
 * after the ramp (medians, so one late collection does not decide). Undefined under 6 samples.
 */
export function heapGrowth(points: ServerPoint[], afterS: number): number | undefined {
  const heaps = points
    .filter((point) => point.t >= afterS && point.heapAfterGcMb !== undefined)
    .map((point) => point.heapAfterGcMb as number);
  if (heaps.length < 6) return undefined;
  const quarter = Math.floor(heaps.length / 4);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const first = median(heaps.slice(0, quarter));
  return (median(heaps.slice(-quarter)) - first) / first;
}

/** Every threshold of the scenario against what was measured; a run with no answer at all fails. */
export function judge(
  definition: ScenarioDefinition,
  recorder: Recorder,
  measured: { latency: Percentiles; errorRate: number; delivery?: Percentiles; points: ServerPoint[]; rampEndS: number },
): ThresholdResult[] {
  const { thresholds } = definition;
  const results: ThresholdResult[] = [
    { name: 'requests answered', limit: '> 0', actual: String(recorder.requests), passed: recorder.requests > 0 },
    {
      name: 'p95 latency',
      limit: `< ${thresholds.p95Ms} ms`,
      actual: `${measured.latency.p95} ms`,
      passed: measured.latency.p95 < thresholds.p95Ms,
    },
    {
      name: 'error rate',
      limit: `< ${percent(thresholds.errorRate)}`,
      actual: percent(measured.errorRate),
      passed: measured.errorRate < thresholds.errorRate,
    },
  ];
  const failedChecks = Object.values(recorder.checks).reduce((sum, entry) => sum + entry.failed, 0);
  if (Object.keys(recorder.checks).length) {
    results.push({ name: 'checks on answers', limit: '0 failed', actual: `${failedChecks} failed`, passed: failedChecks === 0 });
  }
  if (thresholds.cacheHitRate !== undefined) {
    const rate = cacheHitRate(recorder);
    results.push({
      name: 'cache hit rate',
      limit: `> ${percent(thresholds.cacheHitRate)}`,
      actual: rate === undefined ? 'no cacheable answer' : percent(rate),
      passed: rate !== undefined && rate > thresholds.cacheHitRate,
    });
  }
  if (thresholds.deliveryP95Ms !== undefined) {
    const p95 = measured.delivery?.p95;
    results.push({
      name: 'event delivery p95',
      limit: `< ${thresholds.deliveryP95Ms} ms`,
      actual: p95 === undefined ? 'no event delivered' : `${p95} ms`,
      passed: p95 !== undefined && p95 < thresholds.deliveryP95Ms,
    });
  }
  if (thresholds.lostEvents !== undefined) {
    const lost = recorder.counters['lost events'] ?? 0;
    results.push({ name: 'lost events', limit: `≤ ${thresholds.lostEvents}`, actual: String(lost), passed: lost <= thresholds.lostEvents });
  }
  if (thresholds.heapGrowth !== undefined) {
    const growth = heapGrowth(measured.points, measured.rampEndS);
    results.push({
      name: 'heap after GC growth',
      limit: `< ${percent(thresholds.heapGrowth)}`,
      actual: growth === undefined ? 'fewer than 6 samples after the ramp' : percent(growth),
      passed: growth !== undefined && growth < thresholds.heapGrowth,
    });
  }
  return results;
}
