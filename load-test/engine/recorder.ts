import * as hdr from 'hdr-histogram-js';

/** Microsecond resolution, 3 significant digits: exact enough for p99 without keeping every sample. */
const newHistogram = () => hdr.build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, bitBucketSize: 'packed' });

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function percentilesOf(histogram: hdr.Histogram): Percentiles {
  const ms = (microseconds: number) => Math.round(microseconds / 100) / 10;
  return {
    count: histogram.totalCount,
    p50: ms(histogram.getValueAtPercentile(50)),
    p95: ms(histogram.getValueAtPercentile(95)),
    p99: ms(histogram.getValueAtPercentile(99)),
    max: ms(histogram.maxValue),
  };
}

/** One second of a run: requests finished in it, how many failed, their latency, and the users running. */
export interface SecondPoint extends Percentiles {
  t: number;
  errors: number;
  users: number;
}

interface Second {
  requests: hdr.Histogram;
  errors: number;
  users: number;
}

/**
 * What a scenario measured: every request's latency in an HdrHistogram (overall and per second),
 * failures by code, and named counters and latency trends of its own (cache hits, delivery times).
 */
export class Recorder {
  private readonly startedAt = performance.now();
  private readonly overall = newHistogram();
  private readonly seconds: Second[] = [];
  private readonly trends = new Map<string, hdr.Histogram>();
  readonly errorsByCode: Record<string, number> = {};
  /** The same failures by operation and code (`createOrder INTERNAL_SERVER_ERROR`), to see where they come from. */
  readonly errorsByOperation: Record<string, number> = {};
  readonly counters: Record<string, number> = {};
  /** Assertions on answers (k6's checks), by name: how many passed and failed. */
  readonly checks: Record<string, { passed: number; failed: number }> = {};
  /** Virtual users running now, stamped on each second. */
  private users = 0;

  /** The executor's count of running virtual users. */
  setUsers(users: number): void {
    this.users = users;
    this.second();
  }

  /** Seconds since the run started. */
  elapsedS(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  private second(): Second {
    const index = Math.floor(this.elapsedS());
    for (let next = this.seconds.length; next <= index; next++)
      this.seconds.push({ requests: newHistogram(), errors: 0, users: this.users });
    const current = this.seconds[index] as Second;
    current.users = Math.max(current.users, this.users);
    return current;
  }

  /** A finished request: its latency, and the error code when it failed. */
  request(latencyMs: number, operation: string, errorCode?: string): void {
    const microseconds = Math.max(1, Math.round(latencyMs * 1000));
    this.overall.recordValue(microseconds);
    const second = this.second();
    second.requests.recordValue(microseconds);
    if (errorCode) {
      second.errors++;
      this.errorsByCode[errorCode] = (this.errorsByCode[errorCode] ?? 0) + 1;
      const key = `${operation} ${errorCode}`;
      this.errorsByOperation[key] = (this.errorsByOperation[key] ?? 0) + 1;
    }
  }

  count(name: string, by = 1): void {
    this.counters[name] = (this.counters[name] ?? 0) + by;
  }

  check(name: string, passed: boolean): void {
    const entry = this.checks[name] ?? { passed: 0, failed: 0 };
    this.checks[name] = entry;
    if (passed) entry.passed++;
    else entry.failed++;
  }

  /** A latency of the scenario's own (e.g. subscription delivery), in milliseconds. */
  trend(name: string, latencyMs: number): void {
    const histogram = this.trends.get(name) ?? newHistogram();
    this.trends.set(name, histogram);
    histogram.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
  }

  get requests(): number {
    return this.overall.totalCount;
  }

  get errors(): number {
    return Object.values(this.errorsByCode).reduce((sum, count) => sum + count, 0);
  }

  latency(): Percentiles {
    return percentilesOf(this.overall);
  }

  trendOf(name: string): Percentiles | undefined {
    const histogram = this.trends.get(name);
    return histogram ? percentilesOf(histogram) : undefined;
  }

  /** The run second by second (a second with no answers has zero counts). */
  timeline(): SecondPoint[] {
    return this.seconds.map((second, t) => ({ t, errors: second.errors, users: second.users, ...percentilesOf(second.requests) }));
  }
}
