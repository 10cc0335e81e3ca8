import type { ScenarioResult } from '../engine/run-scenario.js';
import { escapeHtml, lineChart } from './svg-chart.js';

export interface LoadReport {
  startedAt: string;
  target: string;
  short: boolean;
  /** Where the machine's figures come from (cores, load), so they are read with that in mind. */
  machine: string;
  scenarios: ScenarioResult[];
  passed: boolean;
}

const verdict = (passed: boolean) => `<span class="${passed ? 'pass' : 'fail'}">${passed ? 'PASS' : 'FAIL'}</span>`;

const table = (head: string[], rows: string[][]) =>
  `<table><thead><tr>${head.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

function scenarioSection(result: ScenarioResult): string {
  const { timeline, stages, server } = result;
  const at = <T extends { t: number }>(points: T[], read: (point: T) => number | undefined) =>
    points.map((point) => ({ t: point.t, v: read(point) }));
  const answered = timeline.filter((second) => second.count > 0);
  const summary = table(
    ['requests', 'req/s', 'p50', 'p95', 'p99', 'max', 'error rate', 'cache hit rate', 'delivery p95', 'duration'],
    [
      [
        String(result.requests),
        String(result.requestsPerSecond),
        `${result.latencyMs.p50} ms`,
        `${result.latencyMs.p95} ms`,
        `${result.latencyMs.p99} ms`,
        `${result.latencyMs.max} ms`,
        `${(result.errorRate * 100).toFixed(2)} %`,
        result.cacheHitRate === undefined ? '—' : `${(result.cacheHitRate * 100).toFixed(1)} %`,
        result.deliveryMs ? `${result.deliveryMs.p95} ms` : '—',
        `${result.durationS} s`,
      ],
    ],
  );
  const thresholds = table(
    ['threshold', 'limit', 'measured', 'result'],
    result.thresholds.map((threshold) => [
      escapeHtml(threshold.name),
      escapeHtml(threshold.limit),
      escapeHtml(threshold.actual),
      verdict(threshold.passed),
    ]),
  );
  const errors = Object.entries(result.errorsByOperation);
  const checks = Object.entries(result.checks);
  const charts = [
    lineChart(
      'Latency per second',
      'ms',
      [
        { name: 'p50', color: '#2563eb', points: at(answered, (second) => second.p50) },
        { name: 'p95', color: '#d97706', points: at(answered, (second) => second.p95) },
        { name: 'p99', color: '#dc2626', points: at(answered, (second) => second.p99) },
      ],
      stages,
    ),
    lineChart(
      'Throughput and virtual users',
      'per second / users',
      [
        { name: 'answers/s', color: '#059669', points: at(timeline, (second) => second.count) },
        { name: 'errors/s', color: '#dc2626', points: at(timeline, (second) => second.errors) },
        { name: 'virtual users', color: '#7c3aed', points: at(timeline, (second) => second.users) },
      ],
      stages,
    ),
  ];
  if (server.points.length) {
    charts.push(
      lineChart(
        'Server memory',
        'MB',
        [
          { name: 'RSS', color: '#0891b2', points: at(server.points, (point) => point.rssMb) },
          { name: 'heap used', color: '#d97706', points: at(server.points, (point) => point.heapUsedMb) },
          { name: 'heap after GC', color: '#dc2626', points: at(server.points, (point) => point.heapAfterGcMb) },
        ],
        stages,
      ),
      lineChart(
        'Server event loop and database pool',
        'ms / % / waiting',
        [
          { name: 'event-loop delay p99 (ms)', color: '#7c3aed', points: at(server.points, (point) => point.eventLoopP99Ms) },
          {
            name: 'pool in use (%)',
            color: '#059669',
            points: at(server.points, (point) => (point.poolSaturation === undefined ? undefined : point.poolSaturation * 100)),
          },
          { name: 'pool waiting', color: '#dc2626', points: at(server.points, (point) => point.poolWaiting) },
        ],
        stages,
      ),
      lineChart(
        'Server response-cache hit rate',
        '%',
        [
          {
            name: 'hit rate',
            color: '#2563eb',
            points: at(server.points, (point) => (point.cacheHitRate === undefined ? undefined : point.cacheHitRate * 100)),
          },
        ],
        stages,
      ),
    );
  }
  return `<section id="${result.name}">
<h2>${escapeHtml(result.name)} ${verdict(result.passed)}</h2>
<p>${escapeHtml(result.title)}</p>
${result.failure ? `<p class="fail-text">Could not run: ${escapeHtml(result.failure)}</p>` : ''}
${result.rateLimitAdvice.map((advice) => `<p class="fail-text">${escapeHtml(advice)}</p>`).join('\n')}
${summary}
${thresholds}
<div class="charts">${charts.join('\n')}</div>
${server.unavailable ? `<p>${escapeHtml(server.unavailable)}</p>` : ''}
<h3>Errors by code</h3>
${
  errors.length
    ? table(
        ['code', 'count'],
        errors.map(([code, count]) => [escapeHtml(code), String(count)]),
      )
    : '<p>none</p>'
}
${
  checks.length
    ? `<h3>Checks</h3>${table(
        ['check', 'passed', 'failed'],
        checks.map(([name, entry]) => [escapeHtml(name), String(entry.passed), String(entry.failed)]),
      )}`
    : ''
}
</section>`;
}

/** The whole run as one HTML file: inline CSS and SVG, no script, nothing fetched. */
export function htmlReport(report: LoadReport): string {
  const overview = table(
    ['scenario', 'requests', 'p50', 'p95', 'p99', 'error rate', 'result'],
    report.scenarios.map((result) => [
      `<a href="#${result.name}">${escapeHtml(result.name)}</a>`,
      String(result.requests),
      `${result.latencyMs.p50} ms`,
      `${result.latencyMs.p95} ms`,
      `${result.latencyMs.p99} ms`,
      `${(result.errorRate * 100).toFixed(2)} %`,
      verdict(result.passed),
    ]),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Servio load test ${escapeHtml(report.startedAt)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1500px; color: #111827; padding: 0 16px; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #d1d5db; padding: 4px 8px; text-align: left; }
th { background: #f3f4f6; }
.pass { color: #fff; background: #059669; padding: 1px 6px; border-radius: 3px; }
.fail { color: #fff; background: #dc2626; padding: 1px 6px; border-radius: 3px; }
.fail-text { color: #b91c1c; }
.charts { display: flex; flex-wrap: wrap; gap: 8px; }
figure { margin: 0; border: 1px solid #e5e7eb; }
section { border-top: 2px solid #e5e7eb; margin-top: 24px; }
</style>
</head>
<body>
<h1>Servio load test ${verdict(report.passed)}</h1>
<p>Started ${escapeHtml(report.startedAt)} against ${escapeHtml(report.target)}${report.short ? ' (short CI profile)' : ''}. Machine: ${escapeHtml(report.machine)}.</p>
${overview}
${report.scenarios.map(scenarioSection).join('\n')}
</body>
</html>
`;
}
