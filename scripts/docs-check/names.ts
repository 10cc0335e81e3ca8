import type { CodeFacts } from './code-facts.js';
import { sources } from './code-facts.js';
import type { CodeSpan, Doc, Place } from './markdown.js';
import { at, type Problem } from './problem.js';

/**
 * Where each kind of name must be documented (code → docs). Every name found in any handbook document
 * must exist in the code (docs → code). Add a kind here and in `namesIn`.
 */
export const homes = {
  envVars: { doc: 'docs/runbook.md', section: 'Environment', label: 'environment variable' },
  errorCodes: { doc: 'docs/api-guide.md', section: 'Errors', label: 'error code' },
  alertNames: { doc: 'docs/incident-response.md', section: 'Alerts', label: 'alert rule' },
  metricNames: { doc: 'docs/runbook.md', section: 'Metrics', label: 'metric' },
  routes: { doc: 'docs/runbook.md', section: 'Routes', label: 'route' },
} as const;

/**
 * Upper-case words in backticks that are not names from the code: signals, SQL, cache headers' values,
 * Dockerfile instructions. Anything else upper-case must be an env var, an error code or a schema enum value.
 */
export const otherUpperCaseWords = new Set([
  ...['SIGTERM', 'SIGINT', 'SIGKILL', 'EXPLAIN', 'ANALYZE', 'HIT', 'MISS', 'BYPASS', 'UTC'],
  ...['FROM', 'RUN', 'CMD', 'COPY', 'ENTRYPOINT', 'USER', 'WORKDIR', 'EXPOSE', 'HEALTHCHECK', 'ARG', 'ENV'],
]);

interface Found extends Place {
  name: string;
}

interface DocNames {
  upperCase: Found[];
  errorCodesInJson: Found[];
  metrics: Found[];
  alerts: Found[];
  routes: Found[];
}

const methods = 'GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD';
const routePattern = new RegExp(`^(${methods}) (/[\\w/.:*-]*)$`);
const metricPattern = /\bservio_(?:[a-z0-9_*]|\{[a-z0-9_]+(?:,[a-z0-9_]+)+\})+/g;
const alertSpanPattern = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$|^[a-z]+$/;

/** The names a document mentions, by kind. */
export function namesIn(doc: Doc): DocNames {
  const names: DocNames = { upperCase: [], errorCodesInJson: [], metrics: [], alerts: [], routes: [] };
  for (const span of doc.spans) {
    const place = { doc: span.doc, line: span.line };
    const upper = /^([A-Z][A-Z0-9_]{2,})(?:=\S*)?$/.exec(span.text);
    if (upper) names.upperCase.push({ ...place, name: upper[1] as string });
    for (const [metric] of span.text.matchAll(metricPattern)) names.metrics.push({ ...place, name: metric });
    const route = routePattern.exec(span.text);
    if (route) names.routes.push({ ...place, name: span.text });
    if (isAlertMention(span)) names.alerts.push({ ...place, name: span.text });
  }
  for (const block of doc.blocks) {
    block.text.split('\n').forEach((text, index) => {
      const place = { doc: block.doc, line: block.line + 1 + index };
      for (const [, name] of text.matchAll(/(?:^|\s)([A-Z][A-Z0-9_]{2,})=/g)) names.upperCase.push({ ...place, name: name as string });
      for (const [, code] of text.matchAll(/"code":\s*"([A-Z_]+)"/g)) names.errorCodesInJson.push({ ...place, name: code as string });
      if (block.lang === 'promql') for (const [metric] of text.matchAll(metricPattern)) names.metrics.push({ ...place, name: metric });
    });
  }
  return names;
}

/** "Alert `p95_latency`", "**Alert:** `error_rate`", or the first column of a table headed "alert" or "rule". */
function isAlertMention(span: CodeSpan): boolean {
  if (!alertSpanPattern.test(span.text)) return false;
  if (span.firstColumn && /^(alert|rule)/.test(span.tableHeader)) return true;
  return /\balerts?\b[\s:*]*$/i.test(span.before);
}

/** `servio_db_pool_{max,idle}_connections` → two patterns; `*` matches any run of characters. */
function metricMatcher(docName: string): RegExp[] {
  const expand = (name: string): string[] => {
    const brace = /\{([^}]+)\}/.exec(name);
    if (!brace) return [name];
    return (brace[1] as string).split(',').flatMap((part) => expand(name.replace(brace[0], part)));
  };
  return expand(docName).map(
    (name) => new RegExp(`^${name.replaceAll('*', '.*').replace(/_(bucket|sum|count)$/, '')}(_bucket|_sum|_count)?$`),
  );
}

/** Both directions for env vars, error codes, alerts, metrics and routes. */
export function checkNames(docs: Doc[], facts: CodeFacts): Problem[] {
  const problems: Problem[] = [];
  const byDoc = new Map(docs.map((doc) => [doc.path, namesIn(doc)]));
  const known = (name: string) =>
    facts.envVars.has(name) ||
    facts.toolEnvVars.has(name) ||
    facts.errorCodes.has(name) ||
    facts.frameworkErrorCodes.has(name) ||
    facts.enumValues.has(name) ||
    otherUpperCaseWords.has(name);

  // docs → code
  for (const names of byDoc.values()) {
    for (const found of names.upperCase) {
      if (!known(found.name))
        problems.push({
          where: at(found),
          message: `\`${found.name}\` is not an environment variable read by ${sources.envVars}, an error code in ${sources.errorCodes} or Apollo's, nor a schema enum value: fix or remove the name (docs → code)`,
        });
    }
    for (const found of names.errorCodesInJson) {
      if (!facts.errorCodes.has(found.name) && !facts.frameworkErrorCodes.has(found.name))
        problems.push({
          where: at(found),
          message: `error code "${found.name}" is not in ${sources.errorCodes} nor Apollo's codes (docs → code)`,
        });
    }
    for (const found of names.metrics) {
      const matchers = metricMatcher(found.name);
      if (![...facts.metricNames].some((metric) => matchers.some((matcher) => matcher.test(metric))))
        problems.push({ where: at(found), message: `metric \`${found.name}\` matches nothing in ${sources.metricNames} (docs → code)` });
    }
    for (const found of names.alerts) {
      if (!facts.alertNames.has(found.name))
        problems.push({ where: at(found), message: `alert rule \`${found.name}\` does not exist in ${sources.alertNames} (docs → code)` });
    }
    for (const found of names.routes) {
      if (!facts.routes.has(found.name))
        problems.push({ where: at(found), message: `route \`${found.name}\` is not served (${sources.routes}) (docs → code)` });
    }
  }

  // code → docs: each kind in its home document
  const inHome = (kind: keyof typeof homes) => {
    const doc = docs.find((candidate) => candidate.path === homes[kind].doc);
    return {
      doc,
      spans: new Set(doc?.spans.map((span) => span.text.replace(/=.*$/, '')) ?? []),
      names: doc ? byDoc.get(doc.path) : undefined,
    };
  };
  const missing = (kind: keyof typeof homes, name: string) => {
    const home = homes[kind];
    problems.push({
      where: sources[kind],
      message: `${home.label} \`${name}\` is not documented: add it to ${home.doc} (§ ${home.section}) (code → docs)`,
    });
  };
  for (const kind of ['envVars', 'errorCodes', 'alertNames', 'routes'] as const) {
    const home = inHome(kind);
    for (const name of [...facts[kind]].sort()) if (!home.spans.has(name)) missing(kind, name);
  }
  const metricPatterns = (inHome('metricNames').names?.metrics ?? []).flatMap((found) => metricMatcher(found.name));
  for (const metric of [...facts.metricNames].sort()) {
    if (!metricPatterns.some((pattern) => pattern.test(metric))) missing('metricNames', metric);
  }
  return problems;
}
