import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeSentry } from './testkit/fake-sentry.js';
import { connectGraphqlWs } from './testkit/graphql-ws-client.js';
import { scrape as scrapeMetrics } from './testkit/prometheus.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type Json, startTestServer, type TestServer } from './testkit/test-server.js';

/** Conditions are awaited, not slept for; a loaded CI machine may take seconds to start a subscription. */
const patience = { timeout: 10_000 };

/**
 * Subscriptions observed like queries: metrics on /metrics and unexpected errors in Sentry (a local
 * stand-in, see fake-sentry.ts). Sentry's client is per process, and this file's worker process
 * initialises it once, through its one server.
 */
const orderFeed = 'subscription OrderFeed($r: ID!) { orderUpdated(restaurantId: $r) { id status } }';
const createOrder = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
const active = 'servio_graphql_subscriptions_active';
const subscriptions = 'servio_graphql_subscriptions_total';
const delivered = 'servio_graphql_subscription_events_total';
const deliveryTimes = 'servio_graphql_subscription_event_duration_seconds_count';
const errors = 'servio_graphql_errors_total';
const orderUpdated = { subscription: 'orderUpdated' };

describe('subscription metrics and error reports', () => {
  let sentry: Awaited<ReturnType<typeof startFakeSentry>>;
  let server: TestServer;
  const clients: Client[] = [];
  beforeAll(async () => {
    sentry = await startFakeSentry();
    server = await startTestServer({ SENTRY_DSN: sentry.dsn, SENTRY_TRACES_SAMPLE_RATE: '0' });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await server?.close();
    await sentry?.close();
  });

  function connect(headers: { authorization: string }): Client {
    const client = connectGraphqlWs(server, headers);
    clients.push(client);
    return client;
  }

  /** A subscription's results as they come; `done` when the server completes it. */
  function listen(client: Client, query: string, variables: Record<string, unknown>) {
    const results: Json[] = [];
    let unsubscribe = () => {};
    const done = new Promise<Json[]>((resolve, reject) => {
      unsubscribe = client.subscribe(
        { query, variables },
        { next: (result) => results.push(result), error: reject, complete: () => resolve(results) },
      );
    });
    return { results, done, unsubscribe: () => unsubscribe() };
  }

  /** Reads /metrics: the sum of the samples of `name` whose labels include `labels` (0 when none). */
  async function scrape() {
    const read = await scrapeMetrics(server);
    return (name: string, labels: Record<string, string> = {}) => read(name, labels) ?? 0;
  }

  async function aStaffedRestaurant() {
    const prisma = server.infra.db.prisma;
    const { restaurant, categories } = await aRestaurant(prisma).withCategory('Mains', 1).build();
    const staff = await aUser(prisma).memberOf(restaurant.id, 'STAFF').build();
    const headers = await server.loginAs(staff.email);
    const menuItemId = categories[0]?.items[0]?.id as string;
    const place = async () => {
      const input = { restaurantId: restaurant.id, idempotencyKey: `k-${Math.random()}`, items: [{ menuItemId, quantity: 1 }] };
      return (await server.graphql<Json>(createOrder, { input }, headers)).body.data.createOrder.id as string;
    };
    return { restaurant, staff, headers, place };
  }

  it('gauges a running subscription, counts and times the events it delivers, and counts its start and end', async () => {
    const { restaurant, headers, place } = await aStaffedRestaurant();
    const baseline = await scrape();
    const client = connect(headers);
    // Keeps the socket open after the feed ends: the feed's end is counted on its own, not with the socket's.
    const tasks = listen(client, 'subscription { taskAssigned { id } }', {});

    const feed = listen(client, orderFeed, { r: restaurant.id });
    await vi.waitFor(async () => expect((await scrape())(active, orderUpdated)).toBe(baseline(active, orderUpdated) + 1), patience);
    const orderId = await place();
    await vi.waitFor(() => expect(feed.results).toHaveLength(1), patience);
    await vi.waitFor(async () => expect((await scrape())(delivered, orderUpdated)).toBe(baseline(delivered, orderUpdated) + 1), patience);
    const during = await scrape();
    feed.unsubscribe();
    await vi.waitFor(async () => expect((await scrape())(active, orderUpdated)).toBe(baseline(active, orderUpdated)), patience);
    const final = await scrape();
    tasks.unsubscribe();

    expect(feed.results[0].data.orderUpdated).toEqual({ id: orderId, status: 'PENDING' });
    expect(during(active, orderUpdated)).toBe(baseline(active, orderUpdated) + 1);
    expect(during(deliveryTimes, orderUpdated)).toBe(baseline(deliveryTimes, orderUpdated) + 1);
    expect(final(subscriptions, { ...orderUpdated, state: 'started' })).toBe(
      baseline(subscriptions, { ...orderUpdated, state: 'started' }) + 1,
    );
    expect(final(subscriptions, { ...orderUpdated, state: 'completed' })).toBe(
      baseline(subscriptions, { ...orderUpdated, state: 'completed' }) + 1,
    );
    expect(final(active, { subscription: 'taskAssigned' })).toBe(baseline(active, { subscription: 'taskAssigned' }) + 1);
    // Every field is reported, at 0 when nothing runs.
    expect(final(active, { subscription: 'inventoryLow' })).toBe(0);
  });

  it('ends the count when the socket closes without unsubscribing', async () => {
    const { restaurant, headers } = await aStaffedRestaurant();
    const baseline = await scrape();
    const client = connect(headers);

    listen(client, orderFeed, { r: restaurant.id }).done.catch(() => undefined);
    await vi.waitFor(async () => expect((await scrape())(active, orderUpdated)).toBe(baseline(active, orderUpdated) + 1), patience);
    await client.dispose();

    await vi.waitFor(async () => expect((await scrape())(active, orderUpdated)).toBe(baseline(active, orderUpdated)), patience);
  });

  it("counts a refused subscription (another restaurant's stream) by its code, and keeps it out of Sentry", async () => {
    const { restaurant } = await aStaffedRestaurant();
    const outsider = await aStaffedRestaurant();
    const baseline = await scrape();
    const eventsBefore = sentry.events().length;

    const [refusal] = await listen(connect(outsider.headers), orderFeed, { r: restaurant.id }).done;
    await server.infra.errorTracking.flush(5_000);
    const final = await scrape();

    const error = refusal.errors?.[0];
    expect(error?.extensions?.code).toBe('FORBIDDEN');
    expect(error?.extensions?.requestId).toEqual(expect.any(String));
    expect(final(errors, { code: 'FORBIDDEN' })).toBe(baseline(errors, { code: 'FORBIDDEN' }) + 1);
    expect(final(subscriptions, { ...orderUpdated, state: 'refused' })).toBe(
      baseline(subscriptions, { ...orderUpdated, state: 'refused' }) + 1,
    );
    expect(final(subscriptions, { ...orderUpdated, state: 'started' })).toBe(
      baseline(subscriptions, { ...orderUpdated, state: 'started' }),
    );
    expect(final(active, orderUpdated)).toBe(baseline(active, orderUpdated));
    expect(sentry.events().slice(eventsBefore)).toEqual([]);
  });

  it('sends an unexpected error while resolving an event to Sentry with its user, restaurant, ids and operation', async () => {
    const { restaurant, staff, headers, place } = await aStaffedRestaurant();
    const baseline = await scrape();
    const feed = listen(connect(headers), orderFeed, { r: restaurant.id });
    await vi.waitFor(async () => expect((await scrape())(active, orderUpdated)).toBe(baseline(active, orderUpdated) + 1), patience);
    const orderId = await place();
    await vi.waitFor(() => expect(feed.results).toHaveLength(1), patience);

    // The order is deleted after its event was published and before a subscriber read it: the
    // resolver's re-read finds nothing. The event goes through the server's real event bus.
    await server.infra.db.prisma.order.delete({ where: { id: orderId } });
    await server.infra.events.publish({ type: 'orderUpdated', restaurantId: restaurant.id, orderId });
    await vi.waitFor(() => expect(feed.results).toHaveLength(2), patience);
    await server.infra.errorTracking.flush(5_000);
    const final = await scrape();
    feed.unsubscribe();

    const [failure] = feed.results[1].errors;
    // The client sees what HTTP clients see: a masked error with the request id.
    expect(failure).toEqual({
      message: 'Internal server error.',
      locations: expect.any(Array),
      path: ['orderUpdated'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) },
    });
    expect(final(errors, { code: 'INTERNAL_SERVER_ERROR' })).toBe(baseline(errors, { code: 'INTERNAL_SERVER_ERROR' }) + 1);
    const reported = sentry.events().filter((event) => event.tags?.request_id === failure.extensions.requestId);
    expect(reported).toHaveLength(1);
    const [event] = reported;
    expect(event.exception.values.at(-1).value).toBe(`Order "${orderId}" vanished after its event.`);
    expect(event.user).toEqual({ id: staff.id });
    expect(event.transaction).toBe('OrderFeed');
    expect(event.tags).toMatchObject({ restaurant_id: restaurant.id, 'graphql.operation_type': 'subscription' });
    expect(event.tags.connection_id).toEqual(expect.any(String));
    expect(event.contexts.graphql).toEqual({ operationName: 'OrderFeed', operationType: 'subscription', path: ['orderUpdated'] });
    // The bearer token never leaves the process.
    expect(JSON.stringify(sentry.items)).not.toContain(headers.authorization.slice('Bearer '.length));
  });
});
