import type { LoadResult } from './load-worker.js';

export interface Measured extends LoadResult {
  cpuMsPerRequest: number;
  sqlPerRequest?: number;
  redisPerRequest?: number;
  /** Share of the server's CPU time spent in garbage collection. */
  gcShare?: number;
}

export interface Workload {
  name: string;
  servio: Measured[];
  ceiling?: Measured[];
  ceilingName?: string;
  /** Target: Servio throughput ≥ ratio × the ceiling's. */
  minRatio?: number;
  /** Target: p95 below this many ms with 0 errors. */
  maxP95Ms?: number;
  /** Target: at most this many SQL statements per request. */
  maxSql?: number;
  /** Not Servio: a reference measured beside the ceiling (its row has no target). */
  reference?: boolean;
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

function summary(runs: Measured[]) {
  const of = (key: keyof Measured) => median(runs.map((run) => (run[key] as number | undefined) ?? Number.NaN));
  return {
    rps: of('rps'),
    p50: of('p50'),
    p95: of('p95'),
    p99: of('p99'),
    cpuMsPerRequest: of('cpuMsPerRequest'),
    sqlPerRequest: of('sqlPerRequest'),
    redisPerRequest: of('redisPerRequest'),
    gcShare: of('gcShare'),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
  };
}

export function evaluate(workload: Workload) {
  const servio = summary(workload.servio);
  const ceiling = workload.ceiling ? summary(workload.ceiling) : undefined;
  const ratio = ceiling ? servio.rps / ceiling.rps : undefined;
  const checks: string[] = [];
  // A run that completed nothing proves nothing: it fails, as do the ceiling's own errors (its numbers would be wrong).
  let pass = servio.errors === 0 && servio.requests > 0 && (ceiling === undefined || (ceiling.errors === 0 && ceiling.requests > 0));
  if (workload.minRatio !== undefined && ratio !== undefined) {
    checks.push(`ratio ≥ ${workload.minRatio}`);
    pass &&= ratio >= workload.minRatio;
  }
  if (workload.maxP95Ms !== undefined) {
    checks.push(`p95 < ${workload.maxP95Ms} ms`);
    pass &&= servio.p95 < workload.maxP95Ms;
  }
  if (workload.maxSql !== undefined) {
    checks.push(`≤ ${workload.maxSql} SQL/req`);
    pass &&= servio.sqlPerRequest <= workload.maxSql;
  }
  checks.push('0 errors');
  // Each round's throughput too, so a median can be told from a spread.
  const perRound = {
    servio: workload.servio.map((run) => Math.round(run.rps)),
    ceiling: workload.ceiling?.map((run) => Math.round(run.rps)),
  };
  return {
    name: workload.name,
    ceilingName: workload.ceilingName,
    servio,
    ceiling,
    ratio,
    perRound,
    target: workload.reference ? 'none (the stack’s own limit)' : checks.join(', '),
    pass,
    reference: workload.reference === true,
  };
}

export type Evaluation = ReturnType<typeof evaluate>;

const fixed = (value: number | undefined, digits = 0) => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));

export function markdownTable(evaluations: Evaluation[]): string {
  const rows = evaluations.map((e) =>
    [
      e.name,
      `${fixed(e.servio.rps)} req/s, p50/p95/p99 ${fixed(e.servio.p50)}/${fixed(e.servio.p95)}/${fixed(e.servio.p99)} ms`,
      fixed(e.servio.cpuMsPerRequest, 3),
      Number.isNaN(e.servio.gcShare) ? '–' : `${(e.servio.gcShare * 100).toFixed(0)} %`,
      `${fixed(e.servio.sqlPerRequest, 2)} / ${fixed(e.servio.redisPerRequest, 2)}`,
      e.ceiling ? `${e.ceilingName}: ${fixed(e.ceiling.rps)} req/s, p95 ${fixed(e.ceiling.p95)} ms` : '–',
      e.ratio === undefined ? '–' : `${e.ratio.toFixed(2)}×`,
      e.target,
      e.reference ? 'reference' : e.pass ? 'pass' : '**fail**',
    ].join(' | '),
  );
  return [
    '| workload | Servio | CPU ms/req | GC share | SQL / Redis per req | ceiling beside it | ratio | target | result |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}
