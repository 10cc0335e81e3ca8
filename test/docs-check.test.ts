import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeFacts, collectCodeFacts } from '../scripts/docs-check/code-facts.js';
import { checkHandbook, readHandbook } from '../scripts/docs-check/index.js';
import { parseDoc } from '../scripts/docs-check/markdown.js';
import { runSmokeTests } from '../scripts/smoke/smoke-checks.js';
import { createSchema } from '../src/schema.js';
import { startTestServer, type TestServer } from './testkit/test-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `npm run docs:check` in the test suite: the handbook agrees with the code, and the check would notice if not. */
describe('docs:check', () => {
  let server: TestServer;
  let facts: CodeFacts;

  beforeAll(async () => {
    server = await startTestServer();
    const schema = createSchema({ rateLimits: server.infra.config.rateLimits, redis: server.infra.redis });
    facts = collectCodeFacts(root, { infra: server.infra, app: server.app, schema });
  }, 120_000);
  afterAll(() => server?.close());

  it('finds the handbook true to the code', () => {
    const docs = readHandbook(root);
    expect(docs.map((doc) => doc.path)).toEqual(
      expect.arrayContaining(['README.md', 'docs/api-guide.md', 'docs/runbook.md', 'docs/incident-response.md', 'docs/user-guides.md']),
    );
    expect(checkHandbook(root, docs, facts)).toEqual([]);
  });

  it('reads the names from the code', () => {
    expect(facts.envVars).toContain('DATABASE_URL');
    expect(facts.alertNames).toContain('low_stock');
    expect(facts.routes).toContain('GET /health/ready');
    expect(facts.metricNames).toContain('servio_db_pool_waiting_requests');
  });

  it('passes the smoke test against a running server, and fails it against none', async () => {
    const passing = await runSmokeTests(server.url);
    expect(passing.filter((result) => !result.ok)).toEqual([]);
    const failing = await runSmokeTests('http://127.0.0.1:9', { timeoutMs: 2_000 });
    expect(failing.every((result) => !result.ok || result.detail.startsWith('skipped'))).toBe(true);
  });

  it('says which name, in which document, in which direction', () => {
    const bad = parseDoc(
      'docs/bad.md',
      [
        'Set `NO_SUCH_SETTING` and watch `servio_no_such_metric_total`.',
        'Alert `no_such_alert` fires; call `DELETE /health`.',
        'Run `npm run no-such-script` and `scripts/no-such-file.ts`, see [the guide](no-such-guide.md).',
        '',
        '```graphql',
        'query Broken { noSuchField }',
        '```',
      ].join('\n'),
    );
    // A runbook that documents one variable only: every other one is reported missing.
    const runbook = parseDoc('docs/runbook.md', '`NODE_ENV`');
    const messages = checkHandbook(root, [bad, runbook], facts).map((problem) => `${problem.where} ${problem.message}`);
    const expected = [
      /^docs\/bad\.md:1 `NO_SUCH_SETTING` is not an environment variable .*\(docs → code\)/,
      /^docs\/bad\.md:1 metric `servio_no_such_metric_total` matches nothing/,
      /^docs\/bad\.md:2 alert rule `no_such_alert` does not exist/,
      /^docs\/bad\.md:2 route `DELETE \/health` is not served/,
      /^docs\/bad\.md:3 `npm run no-such-script` is not a script in package\.json/,
      /^docs\/bad\.md:3 file `scripts\/no-such-file\.ts` does not exist/,
      /^docs\/bad\.md:3 link `no-such-guide\.md` does not resolve/,
      /^docs\/bad\.md:6 GraphQL operation does not validate against the schema: Cannot query field "noSuchField"/,
      /^src\/config\.ts \(loadConfig\) environment variable `PORT` is not documented: add it to docs\/runbook\.md \(§ Environment\) \(code → docs\)/,
      /^src\/errors\.ts \(ErrorCode\) error code `NOT_FOUND` is not documented: add it to docs\/api-guide\.md/,
      /alert rule `p95_latency` is not documented: add it to docs\/incident-response\.md/,
      /route `GET \/health\/ready` is not documented: add it to docs\/runbook\.md/,
      /metric `servio_orders_created_total` is not documented: add it to docs\/runbook\.md \(§ Metrics\)/,
    ];
    for (const pattern of expected)
      expect(
        messages.some((message) => pattern.test(message)),
        String(pattern),
      ).toBe(true);
    expect(messages.some((message) => message.includes('`NODE_ENV` is not documented'))).toBe(false);
  });
});
