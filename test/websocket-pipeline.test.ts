import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectGraphqlWs, type FirstOutcome, firstOutcome } from './testkit/graphql-ws-client.js';
import { scrape as scrapeMetrics } from './testkit/prometheus.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { errorCode, type Json, startTestServer, type TestServer } from './testkit/test-server.js';

const orderFeed = 'subscription($r: ID!) { orderUpdated(restaurantId: $r) { id status } }';
/** The code of the first error, sent as an error message (refused before it ran) or with a result (refused by @auth). */
const codeOf = (outcome: FirstOutcome) => {
  if ('errors' in outcome) return outcome.errors[0]?.extensions?.code;
  return 'next' in outcome ? (outcome.next as Json).errors?.[0]?.extensions?.code : undefined;
};

/**
 * One pipeline for both transports: a subscription over graphql-ws passes the same validation
 * rules, limits, input guard, auth and masking as an operation over HTTP; only subscriptions run
 * over WebSocket and only queries and mutations over HTTP; per-connection and per-user limits.
 */
describe('WebSocket runs the HTTP pipeline', () => {
  let server: TestServer;
  let restaurantId: string;
  let menuItemId: string;
  let staff: { authorization: string };
  let owner: { authorization: string };

  beforeAll(async () => {
    server = await startTestServer({
      QUERY_MAX_COST: '300',
      QUERY_MAX_DOCUMENT_BYTES: '4000',
      WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '2',
      WS_MAX_SUBSCRIPTIONS_PER_USER: '3',
      WS_MAX_CONNECTIONS_PER_USER: '3',
    });
    const prisma = server.infra.db.prisma;
    const { restaurant, categories } = await aRestaurant(prisma).withCategory('Mains', 1).build();
    restaurantId = restaurant.id;
    menuItemId = categories[0]?.items[0]?.id as string;
    staff = await server.loginAs((await aUser(prisma).memberOf(restaurantId, 'STAFF').build()).email);
    owner = await server.loginAs((await aUser(prisma).memberOf(restaurantId, 'OWNER').build()).email);
  });
  afterAll(() => server?.close());

  async function outcomeOf(connectionParams: Record<string, string>, query: string, variables?: Record<string, unknown>) {
    const client = connectGraphqlWs(server, connectionParams);
    const { outcome } = firstOutcome(client, { query, ...(variables ? { variables } : {}) });
    const result = await outcome;
    await client.dispose();
    return result;
  }

  /** orderUpdated subscriptions running now, from /metrics. */
  const activeSubscriptions = async () =>
    (await scrapeMetrics(server))('servio_graphql_subscriptions_active', { subscription: 'orderUpdated' }) ?? 0;
  /** Waits until `count` are running: only then can an event be published that they must receive. */
  const untilActive = (count: number) =>
    vi.waitFor(async () => expect(await activeSubscriptions()).toBeGreaterThanOrEqual(count), { timeout: 10_000 });

  it('refuses queries and mutations over WebSocket, so a write never skips cache invalidation', async () => {
    const query = await outcomeOf({}, '{ apiVersion }');
    const mutation = await outcomeOf(owner, 'mutation($id: ID!) { updateMenuItem(id: $id, input: { priceAmount: 1 }) { id } }', {
      id: menuItemId,
    });

    expect(codeOf(query)).toBe('OPERATION_NOT_SUPPORTED');
    expect(codeOf(mutation)).toBe('OPERATION_NOT_SUPPORTED');
    expect('errors' in query && query.errors[0]?.message).toMatch(/over HTTP/);
    const item = await server.infra.db.prisma.menuItem.findUniqueOrThrow({ where: { id: menuItemId } });
    expect(item.priceAmount).not.toBe(1);
  });

  it('refuses a subscription sent over HTTP with 400 and the same code', async () => {
    const { status, body } = await server.graphql<Json>(orderFeed, { r: restaurantId }, staff);

    expect(status).toBe(400);
    expect(errorCode(body)).toBe('OPERATION_NOT_SUPPORTED');
  });

  it('applies the query limits and counts their refusals like HTTP', async () => {
    const deep = `subscription($r: ID!) { orderUpdated(restaurantId: $r) { ${'restaurant { menu { items { category { '.repeat(4)}id${' } } } }'.repeat(4)} } }`;
    const aliases = `subscription($r: ID!) { orderUpdated(restaurantId: $r) { ${Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(' ')} } }`;
    const costly =
      'subscription($r: ID!) { orderUpdated(restaurantId: $r) { restaurant { orders(first: 100) { edges { node { items { id } } } } } } }';
    const huge = `subscription { ${'orderUpdated(restaurantId: "x") { id } '.repeat(200)} }`;
    const before = await scrapeMetrics(server);

    // One socket at a time: this server allows a user three.
    const outcomes = [];
    for (const query of [deep, aliases, costly, huge]) outcomes.push(await outcomeOf(staff, query, { r: restaurantId }));

    expect(outcomes.map(codeOf)).toEqual(['DEPTH_LIMIT_EXCEEDED', 'ALIAS_LIMIT_EXCEEDED', 'COST_LIMIT_EXCEEDED', 'DOCUMENT_TOO_LARGE']);
    const after = await scrapeMetrics(server);
    const errors = (read: typeof before, code: string) => read('servio_graphql_errors_total', { code }) ?? 0;
    expect(errors(after, 'DEPTH_LIMIT_EXCEEDED')).toBe(errors(before, 'DEPTH_LIMIT_EXCEEDED') + 1);
    expect(errors(after, 'COST_LIMIT_EXCEEDED')).toBe(errors(before, 'COST_LIMIT_EXCEEDED') + 1);
  });

  it('refuses a NUL in a variable and an unparsable document with typed errors, and the socket stays usable', async () => {
    const client = connectGraphqlWs(server, staff);
    const before = await activeSubscriptions();
    const nul = await firstOutcome(client, { query: orderFeed, variables: { r: 'a\u0000b' } }).outcome;
    const broken = await firstOutcome(client, { query: 'subscription { orderUpdated(' }).outcome;
    const feed = firstOutcome(client, { query: orderFeed, variables: { r: restaurantId } });
    await untilActive(before + 1);
    await server.graphql(
      'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
      {
        input: { restaurantId, idempotencyKey: `ws-${Date.now()}`, items: [{ menuItemId, quantity: 1 }] },
      },
      staff,
    );
    const event = await feed.outcome;
    feed.unsubscribe();
    await client.dispose();

    expect(codeOf(nul)).toBe('BAD_USER_INPUT');
    expect(codeOf(broken)).toBe('GRAPHQL_PARSE_FAILED');
    expect('next' in event && (event.next as Json).data.orderUpdated.status).toBe('PENDING');
  });

  it('refuses introspection-free schema probing hints and anonymous subscriptions with the HTTP codes', async () => {
    const anonymous = await outcomeOf({}, orderFeed, { r: restaurantId });
    const typo = await outcomeOf(staff, 'subscription($r: ID!) { orderUpdatd(restaurantId: $r) { id } }', { r: restaurantId });

    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    expect(codeOf(typo)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('limits subscriptions per connection and per user, each with its own code, and counts the refusals', async () => {
    const before = await activeSubscriptions();
    const first = connectGraphqlWs(server, owner);
    const second = connectGraphqlWs(server, owner);
    const subscribe = (client: typeof first) => firstOutcome(client, { query: orderFeed, variables: { r: restaurantId } });
    const running = [subscribe(first), subscribe(first)];
    const thirdOnSocket = await subscribe(first).outcome;
    running.push(subscribe(second));
    await untilActive(before + 3);
    const fourthForUser = await subscribe(second).outcome;
    const metrics = await scrapeMetrics(server);
    for (const subscription of running) subscription.unsubscribe();
    await Promise.all([first.dispose(), second.dispose()]);

    expect(codeOf(thirdOnSocket)).toBe('SUBSCRIPTIONS_PER_CONNECTION_EXCEEDED');
    expect(codeOf(fourthForUser)).toBe('SUBSCRIPTIONS_PER_USER_EXCEEDED');
    expect(metrics('servio_graphql_websocket_refused_total', { code: 'SUBSCRIPTIONS_PER_CONNECTION_EXCEEDED' })).toBe(1);
    expect(metrics('servio_graphql_websocket_refused_total', { code: 'SUBSCRIPTIONS_PER_USER_EXCEEDED' })).toBe(1);
  });

  it('closes a connection over the per-user limit with 4429 and the code as its reason', async () => {
    const manager = await server.loginAs((await aUser(server.infra.db.prisma).memberOf(restaurantId, 'MANAGER').build()).email);
    const clients = Array.from({ length: 4 }, () => connectGraphqlWs(server, manager));
    const outcomes = [];
    for (const client of clients) outcomes.push(firstOutcome(client, { query: orderFeed, variables: { r: restaurantId } }));
    // The sockets connect concurrently: whichever comes fourth is refused, and it is the only one to hear anything.
    const refused = await Promise.race(outcomes.map((outcome) => outcome.outcome));
    for (const outcome of outcomes) outcome.unsubscribe();
    await Promise.all(clients.map((client) => client.dispose()));

    expect(refused).toEqual({ closed: { code: 4429, reason: 'CONNECTIONS_PER_USER_EXCEEDED' } });
  });

  it('checks membership again for every event: a removed member receives no more of the restaurant', async () => {
    const prisma = server.infra.db.prisma;
    const leaver = await aUser(prisma).memberOf(restaurantId, 'STAFF').build();
    const client = connectGraphqlWs(server, await server.loginAs(leaver.email));
    const before = await activeSubscriptions();
    const feed = firstOutcome(client, { query: orderFeed, variables: { r: restaurantId } });
    await untilActive(before + 1);
    const removed = await server.graphql<Json>(
      'mutation($r: ID!, $u: ID!) { removeMember(restaurantId: $r, userId: $u) }',
      { r: restaurantId, u: leaver.id },
      owner,
    );
    expect(removed.body.data?.removeMember).toBe(true);
    await server.graphql(
      'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
      {
        input: { restaurantId, idempotencyKey: `leaver-${Date.now()}`, items: [{ menuItemId, quantity: 1 }] },
      },
      staff,
    );
    const event = await feed.outcome;
    feed.unsubscribe();
    await client.dispose();

    expect('next' in event && (event.next as Json).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect('next' in event && ((event.next as Json).data ?? null)).toBeNull();
  });
});
