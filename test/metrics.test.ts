import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { watchQueries } from '../src/infra/query-metrics.js';
import type { PersistedQueryManifest } from '../src/plugins/persisted-queries/manifest.js';
import { manifestPath } from '../src/plugins/persisted-queries/paths.js';
import { scrape, scrapeSamples } from './testkit/prometheus.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type Json, startTestServer, type TestServer } from './testkit/test-server.js';

const partnerManifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PersistedQueryManifest;
/** A client's order as the partner manifest has it: an operation the server knows by name. */
const createOrder = partnerManifest.operations.find((operation) => operation.name === 'PartnerCreateOrder')?.body ?? '';
const updateStatus = 'mutation MoveOrder($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { id status } }';
const adjust = 'mutation Adjust($input: AdjustInventoryInput!) { adjustInventory(input: $input) { id reason } }';
const createTask = 'mutation CreateTask($input: CreateTaskInput!) { createTask(input: $input) { id } }';
const clockIn = 'mutation ClockIn($r: ID!) { clockIn(restaurantId: $r) { id } }';

/** A restaurant with stock and a menu, and a signed-in manager (who may do every mutation used here). */
async function setUp(server: TestServer) {
  const built = await aRestaurant(server.infra.db.prisma)
    .withStock('Flour', 100)
    .withCategory('Mains', 1, { recipe: [['Flour', 0.25]] })
    .build();
  const user = await aUser(server.infra.db.prisma).memberOf(built.restaurant.id, 'MANAGER').build();
  const headers = await server.loginAs(user.email);
  const menuItem = built.categories[0]?.items[0];
  if (!menuItem) throw new Error('menu not built');
  return { restaurant: built.restaurant, flour: built.stock[0] as { id: string }, menuItem, headers };
}

async function placeOrder(server: TestServer, world: Awaited<ReturnType<typeof setUp>>, key: string, customerName = 'Ada') {
  const input = {
    restaurantId: world.restaurant.id,
    idempotencyKey: key,
    customerName,
    items: [{ menuItemId: world.menuItem.id, quantity: 2 }],
  };
  const { body } = await server.graphql<Json>(createOrder, { input }, world.headers);
  expect(body.errors).toBeUndefined();
  return body.data.createOrder as { id: string; total: { amount: number; currency: string } };
}

describe('GET /metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('exposes the process metrics with the servio_ prefix', async () => {
    const metric = await scrape(server);
    expect(metric('servio_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(metric('servio_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    // Measured at the scrape: a positive lag in seconds, well under one (a 0 would mean never measured).
    expect(metric('servio_nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
    expect(metric('servio_nodejs_eventloop_lag_p99_seconds')).toBeLessThan(5);
  });

  it('times HTTP and GraphQL, counts errors by code, and counts business events once each', async () => {
    const world = await setUp(server);
    const order = await placeOrder(server, world, 'metrics-1');
    await placeOrder(server, world, 'metrics-1'); // an idempotent replay: the same order, not a new one
    for (const status of ['CONFIRMED', 'PREPARING', 'READY', 'COMPLETED']) {
      const { body } = await server.graphql<Json>(updateStatus, { id: order.id, status }, world.headers);
      expect(body.errors).toBeUndefined();
    }
    const refused = await server.graphql<Json>(updateStatus, { id: order.id, status: 'PENDING' }, world.headers);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('INVALID_STATE_TRANSITION');
    const invalid = await server.graphql<Json>('{ noSuchField }');
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const unresolved = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', operationName: 'Nope' }),
    });
    expect(((await unresolved.json()) as Json).errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
    const adjusted = await server.graphql<Json>(
      adjust,
      { input: { inventoryItemId: world.flour.id, reason: 'RECEIVED', delta: '5' } },
      world.headers,
    );
    expect(adjusted.body.errors).toBeUndefined();
    const task = await server.graphql<Json>(
      createTask,
      { input: { restaurantId: world.restaurant.id, title: 'Count stock' } },
      world.headers,
    );
    expect(task.body.errors).toBeUndefined();
    const shift = await server.graphql<Json>(clockIn, { r: world.restaurant.id }, world.headers);
    expect(shift.body.errors).toBeUndefined();

    const metric = await scrape(server);

    expect(
      metric('servio_http_request_duration_seconds_count', { route: '/graphql', method: 'POST', status: '200' }),
    ).toBeGreaterThanOrEqual(10);
    expect(metric('servio_graphql_operation_duration_seconds_count', { operation: 'PartnerCreateOrder', type: 'mutation' })).toBe(2);
    expect(metric('servio_graphql_operation_duration_seconds_sum', { operation: 'PartnerCreateOrder', type: 'mutation' })).toBeGreaterThan(
      0,
    );
    // Names the manifest does not know (MoveOrder five times, Adjust, CreateTask, ClockIn) share one label.
    expect(metric('servio_graphql_operation_duration_seconds_count', { operation: 'other', type: 'mutation' })).toBe(8);
    // The invalid document and the unknown operationName: neither resolved to an operation.
    expect(metric('servio_graphql_operation_duration_seconds_count', { operation: 'anonymous', type: 'unknown' })).toBe(2);
    expect(metric('servio_graphql_errors_total', { code: 'INVALID_STATE_TRANSITION' })).toBe(1);
    expect(metric('servio_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(metric('servio_graphql_errors_total', { code: 'OPERATION_RESOLUTION_FAILURE' })).toBe(1);
    expect(metric('servio_graphql_resolver_duration_seconds_count', { parent_type: 'Mutation', field: 'createOrder' })).toBe(2);
    expect(metric('servio_db_query_duration_seconds_count')).toBeGreaterThan(0);

    expect(metric('servio_orders_created_total')).toBe(1);
    expect(metric('servio_orders_completed_total')).toBe(1);
    expect(metric('servio_revenue_minor_units_total', { currency: order.total.currency })).toBe(order.total.amount);
    expect(order.total.amount).toBeGreaterThan(0);
    expect(metric('servio_inventory_adjustments_total', { reason: 'RECEIVED' })).toBe(1);
    expect(metric('servio_tasks_created_total')).toBe(1);
    expect(metric('servio_clock_ins_total')).toBe(1);
  });

  it('labels an operation by name only when the manifest names it: made-up names add no label values', async () => {
    const operationLabels = async () =>
      new Set(
        (await scrapeSamples(server))
          .filter((sample) => sample.name === 'servio_graphql_operation_duration_seconds_count')
          .map((sample) => sample.labels.operation),
      );
    const metric = await scrape(server);
    const others = metric('servio_graphql_operation_duration_seconds_count', { operation: 'other', type: 'query' }) ?? 0;
    const before = await operationLabels();

    const invented = Array.from({ length: 50 }, (_, index) => `Invented${index}_${Date.now()}`);
    for (const name of invented) {
      const { body } = await server.graphql<Json>(`query ${name} { __typename }`);
      expect(body.errors).toBeUndefined();
    }
    const menu = partnerManifest.operations.find((operation) => operation.name === 'PartnerPublicMenu')?.body ?? '';
    const { restaurant } = await aRestaurant(server.infra.db.prisma).build();
    expect((await server.graphql<Json>(menu, { slug: restaurant.slug })).body.errors).toBeUndefined();

    const after = await operationLabels();
    expect([...after].filter((label) => !before.has(label)).sort()).toEqual(
      ['PartnerPublicMenu', before.has('other') ? [] : ['other']].flat().sort(),
    );
    const counted = await scrape(server);
    expect(counted('servio_graphql_operation_duration_seconds_count', { operation: 'other', type: 'query' })).toBe(others + 50);
    expect(counted('servio_graphql_operation_duration_seconds_count', { operation: 'PartnerPublicMenu', type: 'query' })).toBe(1);
  });

  it('reports the connection pool when PostgreSQL is used, and no pool for the embedded database', async () => {
    const metric = await scrape(server);
    if (inject('databaseUrl')) {
      expect(metric('servio_db_pool_max_connections')).toBe(5);
      expect(metric('servio_db_pool_total_connections')).toBeGreaterThan(0);
      const total = metric('servio_db_pool_total_connections') as number;
      expect(metric('servio_db_pool_idle_connections')).toBeLessThanOrEqual(total);
      expect(metric('servio_db_pool_waiting_requests')).toBe(0);
    } else {
      expect(metric('servio_db_pool_total_connections')).toBeUndefined();
    }
  });
});

describe('slow queries and resolvers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ SLOW_QUERY_MS: '0', SLOW_RESOLVER_MS: '0' });
  });
  afterAll(() => server?.close());

  it('counts statements and resolvers over the thresholds', async () => {
    const world = await setUp(server);
    await placeOrder(server, world, 'slow-1');

    const metric = await scrape(server);
    expect(metric('servio_db_slow_queries_total')).toBeGreaterThan(0);
    expect(metric('servio_db_slow_queries_total')).toBe(metric('servio_db_query_duration_seconds_count'));
    expect(metric('servio_graphql_slow_resolvers_total', { parent_type: 'Order', field: 'total' })).toBeGreaterThanOrEqual(1);
  });

  it('logs a slow statement at warn with its first 200 characters and duration, never its parameters', async () => {
    const lines: Json[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const stop = watchQueries(server.infra.db, { metrics: server.infra.metrics, logger: pino({ level: 'warn' }, sink), slowQueryMs: 0 });
    try {
      await placeOrder(server, await setUp(server), 'slow-2', 'Customer-Secret-4242');
    } finally {
      stop();
    }

    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatchObject({ level: 40, component: 'db', msg: 'slow query', durationMs: expect.any(Number) });
      expect(line.statement.length).toBeLessThanOrEqual(200);
    }
    // The placement (its parameters carry the customer's name) opens with its stock check.
    expect(lines.some((line) => /^\s*WITH\s+wanted AS \(SELECT \* FROM unnest/.test(line.statement))).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('Customer-Secret-4242');
  });
});

describe('StatsD', () => {
  let collector: Socket;
  const packets: string[] = [];
  beforeAll(async () => {
    collector = createSocket('udp4');
    collector.on('message', (message) => packets.push(...message.toString().split('\n')));
    await new Promise<void>((resolve) => collector.bind(0, '127.0.0.1', resolve));
  });
  afterAll(() => collector?.close());

  it('sends operation timings, errors and business counters to STATSD_HOST with STATSD_PREFIX', async () => {
    const { port } = collector.address() as AddressInfo;
    const server = await startTestServer({ STATSD_HOST: '127.0.0.1', STATSD_PORT: String(port) });
    try {
      const world = await setUp(server);
      await placeOrder(server, world, 'statsd-1');
      await server.graphql('{ noSuchField }');

      await expect
        .poll(() => packets, { timeout: 5_000 })
        .toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^servio\.graphql\.operation\.duration:\d+(\.\d+)?\|ms\|#operation:PartnerCreateOrder,type:mutation$/),
            expect.stringMatching(/^servio\.graphql\.errors:1\|c\|#code:GRAPHQL_VALIDATION_FAILED$/),
            'servio.orders.created:1|c',
          ]),
        );
      // Only the operation-level metrics go to StatsD: no per-statement traffic.
      expect(packets.some((packet) => packet.startsWith('servio.db.'))).toBe(false);
    } finally {
      await server.close();
    }
  });
});
