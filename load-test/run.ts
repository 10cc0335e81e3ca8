/**
 * `npm run load -- [scenario…] [--url URL] [--short] [--out DIR]`: runs the chosen load scenarios
 * (default: all but soak; `all` adds soak) against a server it starts, or a running one on loopback,
 * then writes DIR/results.json and DIR/report.html. Exits 1 when a threshold is breached.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad } from './runner.js';
import { type ScenarioName, scenarios } from './scenarios.js';

const usage = `Usage: npm run load -- [${Object.keys(scenarios).join('|')}|all …] [--url http://127.0.0.1:4000/graphql] [--short] [--out load-test/results]`;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { url: { type: 'string' }, short: { type: 'boolean', default: false }, out: { type: 'string', default: 'load-test/results' } },
});
const known = Object.keys(scenarios) as ScenarioName[];
const unknown = positionals.filter((name) => name !== 'all' && !known.includes(name as ScenarioName));
if (unknown.length) {
  console.error(`Unknown scenario(s): ${unknown.join(', ')}.\n${usage}`);
  process.exit(1);
}
const chosen: ScenarioName[] = positionals.includes('all')
  ? known
  : positionals.length
    ? (positionals as ScenarioName[])
    : known.filter((name) => name !== 'soak');

try {
  const outDir = resolve(values.out);
  const report = await runLoad({
    scenarios: chosen,
    short: values.short,
    ...(values.url ? { url: values.url } : {}),
    env: process.env,
    outDir,
    log: (line) => console.log(line),
  });
  console.log(
    `\n${report.passed ? 'All thresholds met' : 'Thresholds breached'}: ${outDir}/report.html (raw results: ${outDir}/results.json)`,
  );
  process.exitCode = report.passed ? 0 : 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
