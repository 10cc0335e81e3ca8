import StatsD, { type StatsD as StatsdInstance } from 'hot-shots';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { PoolStats } from './db.js';
import { registerDefaultMetrics, renderExposition } from './exposition.js';
import type { Logger } from './logger.js';

/**
 * Every metric the process records, in one catalogue. A name maps to a Prometheus metric
 * (`servio_` + dots as underscores, `_seconds` for timings, `_total` for counters) and, when
 * `statsd` is set, to a StatsD stat (`STATSD_PREFIX` + the name, e.g. `servio.orders.created`).
 */
const timings = {
  'http.request.duration': {
    help: 'HTTP requests by route pattern, method and status.',
    labels: ['route', 'method', 'status'],
    statsd: false,
  },
  'graphql.operation.duration': { help: 'GraphQL operations by name and type.', labels: ['operation', 'type'], statsd: true },
  'graphql.resolver.duration': { help: 'Root-field resolvers (Query, Mutation).', labels: ['parent_type', 'field'], statsd: false },
  'graphql.subscription.event.duration': {
    help: 'Subscription events, from the event to its result sent over the WebSocket (resolve + send), by field.',
    labels: ['subscription'],
    statsd: true,
  },
  'db.query.duration': { help: 'SQL statements sent by Prisma.', labels: [], statsd: false },
  'external.call.duration': {
    help: 'Calls to external providers (OpenAI, Twilio), by service and outcome.',
    labels: ['service', 'outcome'],
    statsd: true,
  },
  'assistant.query.duration': { help: 'Assistant questions, from asking to answer, by outcome.', labels: ['outcome'], statsd: true },
} as const;

const counters = {
  'graphql.errors': { help: 'GraphQL errors by extensions.code.', labels: ['code'], statsd: true },
  'graphql.websocket.refused': {
    help: 'WebSocket connections and subscriptions refused by a limit, by its error code.',
    labels: ['code'],
    statsd: true,
  },
  'graphql.subscriptions': {
    help: 'Subscriptions by field and the state they entered: started, completed (ended by either side) or refused (never started).',
    labels: ['subscription', 'state'],
    statsd: true,
  },
  'graphql.subscription.events': { help: 'Subscription events delivered, by field.', labels: ['subscription'], statsd: true },
  'graphql.slow_resolvers': { help: 'Resolvers slower than SLOW_RESOLVER_MS, by field.', labels: ['parent_type', 'field'], statsd: false },
  'db.slow_queries': { help: 'SQL statements slower than SLOW_QUERY_MS.', labels: [], statsd: false },
  'orders.created': { help: 'Orders created (idempotent replays not counted).', labels: [], statsd: true },
  'orders.completed': { help: 'Orders moved to COMPLETED.', labels: [], statsd: true },
  'revenue.minor_units': { help: 'Total of completed orders, in minor units, by currency.', labels: ['currency'], statsd: true },
  'inventory.adjustments': { help: 'Stock adjustments made through adjustInventory, by reason.', labels: ['reason'], statsd: true },
  'tasks.created': { help: 'Tasks created.', labels: [], statsd: true },
  clock_ins: { help: 'Shifts started (clockIn).', labels: [], statsd: true },
  'cache.responses': { help: 'Cacheable query responses, by result: hit or miss.', labels: ['result'], statsd: true },
  'assistant.queries': {
    help: 'Assistant questions, by outcome: answered, failed (provider error) or unavailable (not configured, breaker open).',
    labels: ['outcome'],
    statsd: true,
  },
  'openai.tokens': { help: 'OpenAI tokens used by the assistant, by kind: prompt or completion.', labels: ['kind'], statsd: true },
  'circuit_breaker.transitions': {
    help: 'Circuit breaker state changes, by breaker and new state (open, half_open, closed).',
    labels: ['breaker', 'state'],
    statsd: true,
  },
  'redis.breaker.transitions': {
    help: 'Redis circuit breaker state changes, by new state (open, half_open, closed).',
    labels: ['state'],
    statsd: true,
  },
} as const;

/** Values read at scrape time from whoever registers them (see `Metrics.gauge`). */
const gauges = {
  'circuit_breaker.state': { help: 'Circuit breaker state by breaker: 0 closed, 1 half-open, 2 open.', labels: ['breaker'] },
  'redis.breaker.state': { help: 'Redis circuit breaker state: 0 closed, 1 half-open, 2 open (commands fail at once).', labels: [] },
  'cache_service.hit_ratio': { help: 'CacheService hits / reads since start (0 before the first read).', labels: [] },
  'graphql.subscriptions.active': { help: 'Subscriptions running now, by field.', labels: ['subscription'] },
  'backup.last_success_timestamp_seconds': { help: 'When the newest backup finished (Unix time), read from its manifest.', labels: [] },
  'backup.last_size_bytes': { help: 'Size of the newest backup.', labels: [] },
  'backup.last_duration_seconds': { help: 'How long the newest backup took.', labels: [] },
} as const;

export type TimingName = keyof typeof timings;
export type CounterName = keyof typeof counters;
export type GaugeName = keyof typeof gauges;
export type Labels = Record<string, string>;
/** What a gauge reads at scrape time: one value, or one per label set. */
export type GaugeReading = number | Array<{ labels: Labels; value: number }>;

/** What plugins and hooks see: record a duration or count something. Prometheus and StatsD behind it. */
export interface Metrics {
  timing(name: TimingName, milliseconds: number, labels?: Labels): void;
  increment(name: CounterName, value?: number, labels?: Labels): void;
  /** Makes a catalogued gauge report `read()` at every scrape (Prometheus only: StatsD has no pull). */
  gauge(name: GaugeName, read: () => GaugeReading): void;
  /** The exposition for GET /metrics: OpenMetrics when `accept` prefers it, else Prometheus text. */
  exposition(accept?: string): Promise<{ contentType: string; body: string }>;
  /** This process's prom-client registry, for in-process readers (the alert rules). */
  readonly registry: Registry;
  close(): Promise<void>;
}

/** The part of hot-shots used here. */
type StatsdClient = Pick<StatsdInstance, 'timing' | 'increment' | 'close'>;

/**
 * Not hot-shots' `mock: true`: the mock keeps every message in `mockBuffer` for tests to read, which
 * in a long-running process without STATSD_HOST would grow without end.
 */
const noStatsd: StatsdClient = {
  timing: () => undefined,
  increment: () => undefined,
  close: (callback) => callback?.(),
};

// Seconds, from 5 ms to 10 s: spans a cached read to a heavy report.
const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const promName = (name: string) => `servio_${name.replaceAll('.', '_')}`;

/**
 * A registry of its own (not prom-client's global one), so several servers in one process (tests)
 * never clash. StatsD is a real UDP client when `STATSD_HOST` is set, else hot-shots' mock, which
 * sends nothing: callers never know the difference.
 */
export function createMetrics(config: Config['metrics'], deps: { logger: Logger; poolStats: () => PoolStats | null }): Metrics {
  const registry = new Registry();
  registerDefaultMetrics(registry, 'servio_');

  const histograms = new Map<string, Histogram>();
  for (const [name, spec] of Object.entries(timings)) {
    histograms.set(
      name,
      new Histogram({ name: `${promName(name)}_seconds`, help: spec.help, labelNames: spec.labels, buckets, registers: [registry] }),
    );
  }
  const promCounters = new Map<string, Counter>();
  for (const [name, spec] of Object.entries(counters)) {
    promCounters.set(
      name,
      new Counter({ name: `${promName(name)}_total`, help: spec.help, labelNames: spec.labels, registers: [registry] }),
    );
  }
  const gaugeReaders = new Map<string, () => GaugeReading>();
  for (const [name, spec] of Object.entries(gauges)) {
    new Gauge({
      name: promName(name),
      help: spec.help,
      labelNames: spec.labels,
      registers: [registry],
      collect() {
        const read = gaugeReaders.get(name);
        if (!read) return;
        const reading = read();
        // Reset first, so a label set that is gone (a removed breaker) stops being reported.
        this.reset();
        if (typeof reading === 'number') this.set(reading);
        else for (const { labels, value } of reading) this.set(labels, value);
      },
    });
  }
  // Pool gauges exist only for PostgreSQL (PGlite has no pool); read at scrape time.
  if (deps.poolStats()) {
    const gauge = (name: string, help: string, read: (stats: PoolStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          const stats = deps.poolStats();
          if (stats) this.set(read(stats));
        },
      });
    gauge('servio_db_pool_max_connections', 'Largest pool size (DB_POOL_MAX).', (stats) => stats.max);
    gauge('servio_db_pool_total_connections', 'Open connections in the pool.', (stats) => stats.total);
    gauge('servio_db_pool_idle_connections', 'Open connections not in use.', (stats) => stats.idle);
    gauge('servio_db_pool_waiting_requests', 'Queries waiting for a connection.', (stats) => stats.waiting);
  }

  const statsd: StatsdClient =
    config.statsd.kind === 'udp'
      ? new StatsD({
          host: config.statsd.host,
          port: config.statsd.port,
          prefix: config.statsd.prefix,
          // UDP is fire-and-forget; a missing collector is worth a warning, never an error to a caller.
          errorHandler: (error) => deps.logger.warn({ component: 'metrics', err: error }, 'statsd send failed'),
        })
      : noStatsd;

  return {
    registry,
    timing(name, milliseconds, labels = {}) {
      histograms.get(name)?.observe(labels, milliseconds / 1000);
      if (timings[name].statsd) statsd.timing(name, milliseconds, labels);
    },
    increment(name, value = 1, labels = {}) {
      promCounters.get(name)?.inc(labels, value);
      if (counters[name].statsd) statsd.increment(name, value, labels);
    },
    gauge(name, read) {
      gaugeReaders.set(name, read);
    },
    exposition(accept) {
      return renderExposition(registry, accept);
    },
    close() {
      registry.clear();
      return new Promise((resolve) => statsd.close(() => resolve()));
    },
  };
}
