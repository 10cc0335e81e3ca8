import { pino } from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertNotification, createAlertManager } from '../src/alerts/alert-manager.js';
import { type AlertSnapshot, createAlertRules } from '../src/alerts/alert-rules.js';
import { createMetricSources } from '../src/alerts/metric-sources.js';
import { createWebhookNotifier } from '../src/alerts/notifiers.js';
import { type Json, startTestServer, type TestServer } from './testkit/test-server.js';
import { startWebhookReceiver } from './testkit/webhook-receiver.js';

const thresholds = { p95Ms: 500, errorRate: 0.01, poolSaturation: 0.9, cacheHitRateMin: 0.7, heapRatio: 0.9 };
const quiet: AlertSnapshot = {
  p95Ms: 20,
  errorRate: 0,
  poolSaturation: 0.1,
  cacheHitRate: 0.95,
  heapRatio: 0.3,
  openBreakers: [],
  backupAgeHours: null,
};

/** A manager over a snapshot the test edits, a clock it moves, and a notifier that records. */
function aManager() {
  let snapshot: AlertSnapshot = { ...quiet };
  let clock = new Date('2025-01-01T12:00:00Z');
  const sent: AlertNotification[] = [];
  const manager = createAlertManager({
    rules: createAlertRules(thresholds),
    sources: { snapshot: async () => snapshot },
    notifiers: [async (notification) => void sent.push(notification)],
    intervalMs: 60_000,
    logger: pino({ level: 'silent' }),
    now: () => clock,
  });
  return {
    manager,
    sent,
    set: (changes: Partial<AlertSnapshot>) => {
      snapshot = { ...snapshot, ...changes };
    },
    advance: (seconds: number) => {
      clock = new Date(clock.getTime() + seconds * 1000);
    },
  };
}

describe('alert manager', () => {
  it('notifies once when a rule starts firing, not again while it fires, and once when it clears', async () => {
    const { manager, sent, set, advance } = aManager();
    expect(await manager.evaluate()).toEqual([]);

    set({ p95Ms: 1000 });
    await manager.evaluate();
    advance(60);
    await manager.evaluate();
    advance(60);
    expect(await manager.evaluate()).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      status: 'firing',
      name: 'p95_latency',
      severity: 'warning',
      summary: 'GraphQL p95 latency is 1000 ms (above 500 ms)',
      details: { value: '1000 ms', threshold: 'above 500 ms' },
    });
    expect(manager.firing()).toEqual(['p95_latency']);

    set({ p95Ms: 100 });
    await manager.evaluate();
    await manager.evaluate();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ status: 'resolved', name: 'p95_latency', details: { firingForSeconds: '120' } });
    expect(manager.firing()).toEqual([]);
  });

  it('skips a rule with no data: it neither fires nor resolves', async () => {
    const { manager, sent, set } = aManager();
    set({ poolSaturation: null, errorRate: 0.5 });
    await manager.evaluate();
    set({ errorRate: null });
    await manager.evaluate();
    expect(sent.map((notification) => [notification.name, notification.status])).toEqual([['error_rate', 'firing']]);
    expect(manager.firing()).toEqual(['error_rate']);
  });

  it('applies "below" rules (cache hit rate) and keeps rules independent', async () => {
    const { manager, sent, set } = aManager();
    set({ cacheHitRate: 0.5, heapRatio: 0.95 });
    await manager.evaluate();
    set({ heapRatio: 0.5 });
    await manager.evaluate();
    expect(sent.map((notification) => [notification.name, notification.status, notification.severity])).toEqual([
      ['cache_hit_rate', 'firing', 'warning'],
      ['heap_usage', 'firing', 'critical'],
      ['heap_usage', 'resolved', 'critical'],
    ]);
  });

  it('fires a critical alert naming the open circuit breakers, and resolves it when they close', async () => {
    const { manager, sent, set } = aManager();
    set({ openBreakers: ['openai', 'twilio'] });
    await manager.evaluate();
    set({ openBreakers: [] });
    await manager.evaluate();
    expect(sent).toEqual([
      expect.objectContaining({
        status: 'firing',
        name: 'circuit_breaker_open',
        severity: 'critical',
        summary: 'Open circuit breakers is 2 (above 0)',
        details: { value: '2', threshold: 'above 0', breakers: 'openai, twilio' },
      }),
      expect.objectContaining({
        status: 'resolved',
        name: 'circuit_breaker_open',
        summary: 'Open circuit breakers is 0 (no longer above 0)',
      }),
    ]);
  });

  it('logs a webhook that fails instead of throwing', async () => {
    const lines: Json[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const notify = createWebhookNotifier({ url: 'http://127.0.0.1:1/hook', logger, timeoutMs: 1_000 });
    await notify({ status: 'info', name: 'x', title: 'X', severity: 'info', summary: 'x', details: {}, at: new Date() });
    expect(lines).toEqual([expect.objectContaining({ component: 'alerts', alert: 'x', msg: 'alert webhook delivery failed' })]);
    expect(JSON.stringify(lines)).not.toContain('127.0.0.1:1');
  });
});

describe('metric sources', () => {
  it('reports p95, error rate and cache hit rate over the last interval only, and no pool without one', async () => {
    const registry = new Registry();
    const histogram = new Histogram({
      name: 'servio_graphql_operation_duration_seconds',
      help: 'h',
      labelNames: ['operation'],
      buckets: [0.01, 0.1, 1],
      registers: [registry],
    });
    const errors = new Counter({ name: 'servio_graphql_errors_total', help: 'e', labelNames: ['code'], registers: [registry] });
    const cache = { hits: 0, misses: 0, sets: 0, invalidated: 0, hitRate: 0 };
    const sources = createMetricSources({
      registry,
      poolStats: () => null,
      cacheStats: () => cache,
      openBreakers: () => ['openai'],
      heap: () => ({ used: 50, limit: 100 }),
    });

    for (let i = 0; i < 19; i++) histogram.observe({ operation: 'A' }, 0.005);
    histogram.observe({ operation: 'B' }, 0.5);
    errors.inc({ code: 'X' }, 2);
    Object.assign(cache, { hits: 60, misses: 40 });
    expect(await sources.snapshot()).toEqual({
      p95Ms: 10,
      errorRate: 0.1,
      poolSaturation: null,
      cacheHitRate: 0.6,
      heapRatio: 0.5,
      openBreakers: ['openai'],
      backupAgeHours: null,
    });

    for (let i = 0; i < 10; i++) histogram.observe({ operation: 'B' }, 0.5);
    Object.assign(cache, { hits: 70, misses: 40 }); // 10 reads: too few to judge
    expect(await sources.snapshot()).toMatchObject({ p95Ms: 1000, errorRate: 0, poolSaturation: null, cacheHitRate: null, heapRatio: 0.5 });
    expect(await sources.snapshot()).toMatchObject({ p95Ms: null, errorRate: null });
  });
});

describe('alerts through the real server, delivered to a webhook', () => {
  let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let server: TestServer;

  beforeAll(async () => {
    webhook = await startWebhookReceiver();
    server = await startTestServer({
      ALERT_WEBHOOK_URL: webhook.url,
      // Any error fires; every other rule is out of reach, so only the error rate can speak.
      ALERT_ERROR_RATE: '0',
      ALERT_P95_MS: '100000',
      ALERT_POOL_SATURATION: '1',
      ALERT_CACHE_HIT_RATE_MIN: '0',
      ALERT_HEAP_RATIO: '1',
    });
  });
  afterAll(async () => {
    await server?.close();
    await webhook?.close();
  });

  it('posts Slack-compatible JSON once when errors appear, nothing while they persist, and once when they clear', async () => {
    const invalid = await server.graphql('{ noSuchField }');
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    await server.infra.alerts.evaluate();
    const alerts = () => webhook.received.filter((message) => message.body.attachments[0].fields[0].value === 'error_rate');
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]).toEqual({
      contentType: 'application/json',
      body: {
        text: '[CRITICAL] GraphQL error rate is 100% (above 0%)',
        attachments: [
          {
            color: 'danger',
            title: 'GraphQL error rate',
            fields: expect.arrayContaining([
              { title: 'status', value: 'firing', short: true },
              { title: 'value', value: '100%', short: true },
            ]),
            ts: expect.any(Number),
          },
        ],
      },
    });

    await server.infra.alerts.evaluate(); // no traffic since: no data, no change
    await server.graphql('{ noSuchField }'); // still failing: still firing, no repeat
    await server.infra.alerts.evaluate();
    expect(alerts()).toHaveLength(1);

    const ok = await server.graphql<Json>('query Ok { __typename }');
    expect(ok.body.errors).toBeUndefined();
    await server.infra.alerts.evaluate();
    expect(alerts()).toHaveLength(2);
    expect(alerts()[1]?.body).toMatchObject({
      text: '[RESOLVED] GraphQL error rate is 0% (no longer above 0%)',
      attachments: [{ color: 'good', title: 'GraphQL error rate' }],
    });
    expect(webhook.received).toHaveLength(2);
  });

  it('announces an inventoryLow event once, as an informational alert, while started', async () => {
    const restaurantId = `r-alerts-${Date.now()}`;
    // start() subscribes synchronously (the listener is attached before it returns): no wait needed.
    server.infra.alerts.start();
    try {
      await server.infra.events.publish({ type: 'inventoryLow', restaurantId, inventoryItemId: 'inv-1' });
      const lowStock = () =>
        webhook.received.filter((message) =>
          message.body.attachments[0].fields.some((field: Json) => field.title === 'restaurantId' && field.value === restaurantId),
        );
      await expect.poll(() => lowStock().length, { timeout: 5_000 }).toBe(1);
      expect(lowStock()[0]?.body).toMatchObject({
        text: '[INFO] Inventory item "inv-1" fell below its reorder threshold',
        attachments: [{ color: '#439FE0', title: 'Low stock' }],
      });
    } finally {
      server.infra.alerts.stop();
    }
  });
});
