import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LoadReport } from '../load-test/report/html-report.js';
import { runLoad } from '../load-test/runner.js';
import { type ScenarioName, scenarios } from '../load-test/scenarios.js';
import { launchBrowser } from './testkit/browser.js';

// `npm run load -- --short all`, as CI runs it: every scenario's short profile (seconds) against a
// server the runner starts in its own process, on a database of its own (PostgreSQL when the run
// has one: the demo data's fixed slugs cannot share the run's database) and the run's Redis.
// Latency thresholds are not asserted here (8 suites share 2 cores); what must hold under any
// load is: no failed request, no lost event, every check on the answers, the report complete.
describe('npm run load (short profile)', () => {
  const baseUrl = inject('databaseUrl');
  const redisUrl = inject('redisUrl');
  const databaseName = `servio_load_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl ?? undefined });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  let outDir: string;
  let report: LoadReport;
  const scenario = (name: ScenarioName) => report.scenarios.find((result) => result.name === name);

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'servio-load-report-'));
    let databaseUrl: string | undefined;
    if (baseUrl) {
      await admin(`CREATE DATABASE "${databaseName}"`);
      const url = new URL(baseUrl);
      url.pathname = `/${databaseName}`;
      databaseUrl = url.toString();
    }
    report = await runLoad({
      scenarios: Object.keys(scenarios) as ScenarioName[],
      short: true,
      outDir,
      env: {
        LOG_LEVEL: 'silent',
        ...(databaseUrl ? { DATABASE_URL: databaseUrl, DB_POOL_MAX: '10', DB_POOL_MIN: '0' } : {}),
        ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `${inject('redisKeyPrefix')}load:` } : {}),
      },
    });
  }, 400_000);
  afterAll(async () => {
    if (baseUrl) await admin(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('runs every scenario with no failed request and every threshold judged', () => {
    expect(report.scenarios.map((result) => result.name)).toEqual(Object.keys(scenarios));
    for (const result of report.scenarios) {
      expect({ name: result.name, failure: result.failure, errors: result.errorsByCode, advice: result.rateLimitAdvice }).toEqual({
        name: result.name,
        failure: undefined,
        errors: {},
        advice: [],
      });
      expect(result.requests).toBeGreaterThan(0);
      expect(result.latencyMs.p50).toBeGreaterThan(0);
      expect(result.latencyMs.p99).toBeGreaterThanOrEqual(result.latencyMs.p95);
      expect(result.thresholds.map((threshold) => threshold.name)).toEqual(expect.arrayContaining(['p95 latency', 'error rate']));
      expect(result.passed).toBe(result.thresholds.every((threshold) => threshold.passed));
      // The stages' virtual users show in the timeline, and the server was scraped while they ran.
      expect(Math.max(...result.timeline.map((second) => second.users))).toBeGreaterThan(0);
      expect(result.server.points.some((point) => point.rssMb !== undefined && point.eventLoopP99Ms !== undefined)).toBe(true);
    }
  });

  it('creates, reads back, retries idempotently and moves orders as generated staff, each signed in once', () => {
    const orders = scenario('orders');
    expect(orders?.checks['read back shows the created order']).toMatchObject({ failed: 0 });
    expect(orders?.checks['read back shows the created order']?.passed).toBeGreaterThan(0);
    expect(orders?.checks['idempotent retry returns the same order']?.failed ?? 0).toBe(0);
    expect(orders?.thresholds.find((threshold) => threshold.name === 'checks on answers')?.passed).toBe(true);
  });

  it('measures the cache hit rate of the reads, and delivers every order event to every subscriber', () => {
    for (const name of ['menu', 'mixed'] as const) {
      expect(scenario(name)?.cacheHitRate).toBeGreaterThan(scenarios[name].thresholds.cacheHitRate as number);
    }
    const subscriptions = scenario('subscriptions');
    expect(subscriptions?.counters['lost events']).toBe(0);
    // Each order reaches its restaurant's three listeners.
    expect(subscriptions?.counters['delivered events']).toBe(3 * (subscriptions?.counters['orders created'] ?? 0));
    expect(subscriptions?.deliveryMs?.count).toBeGreaterThan(0);
    expect(scenario('assistant')?.checks['the assistant used a tool to answer']?.passed).toBeGreaterThan(0);
  });

  it("samples the soak's server heap after a forced GC and judges its growth", () => {
    const soak = scenario('soak');
    expect(soak?.server.points.filter((point) => point.heapAfterGcMb !== undefined).length).toBeGreaterThanOrEqual(6);
    expect(soak?.thresholds.find((threshold) => threshold.name === 'heap after GC growth')?.actual).toMatch(/%$/);
  });

  it('exports the raw results as JSON', async () => {
    expect(JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('writes a self-contained HTML report whose charts render in headless Chromium', { timeout: 120_000 }, async (context) => {
    const html = await readFile(join(outDir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const launched = await launchBrowser();
    if ('skipped' in launched) {
      console.log(`Skipping the report's browser check: ${launched.skipped}`);
      context.skip();
      return;
    }
    const { browser } = launched;
    try {
      const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(join(outDir, 'report.html')).href);
      const charts = await page.$$eval('svg.chart', (svgs) =>
        svgs.map((svg) => ({
          width: svg.getBoundingClientRect().width,
          lines: [...svg.querySelectorAll('path.series')].filter(
            (path) => (path as unknown as { getTotalLength(): number }).getTotalLength() > 0,
          ).length,
          stages: svg.querySelectorAll('line.stage').length,
        })),
      );
      // Per scenario: latency and throughput, then the server's memory, event loop/pool, cache.
      expect(charts).toHaveLength(report.scenarios.length * 5);
      expect(charts.every((chart) => chart.width > 600 && chart.stages > 0)).toBe(true);
      expect(charts.filter((chart) => chart.lines > 0).length).toBeGreaterThanOrEqual(report.scenarios.length * 4);
      expect(await page.locator('section h2 .pass, section h2 .fail').count()).toBe(report.scenarios.length);
      expect(requests).toEqual([pathToFileURL(join(outDir, 'report.html')).href]);
      const screenshot = join(outDir, 'report.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });
});
