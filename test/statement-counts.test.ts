import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from './testkit/private-redis.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { countStatements, type Json, startTestServer, type TestServer } from './testkit/test-server.js';

/**
 * Pins the SQL the two hot paths send (issue 10): a change that adds a statement to createOrder or to the
 * nested orders read fails here. Counted on a warm path: the viewer's permissions are cached.
 */
describe('statements per request', () => {
  let server: TestServer;
  let restaurantId: string;
  let headers: { authorization: string };
  let menuItemIds: string[];

  beforeAll(async () => {
    server = await startTestServer();
    const prisma = server.infra.db.prisma;
    const built = await aRestaurant(prisma)
      .withStock('Flour', 1_000)
      .withStock('Cheese', 1_000)
      .withCategory('Mains', 3, {
        recipe: [
          ['Flour', 0.2],
          ['Cheese', 0.1],
        ],
      })
      .build();
    restaurantId = built.restaurant.id;
    menuItemIds = (built.categories[0]?.items ?? []).map((item) => item.id);
    const manager = await aUser(prisma).memberOf(restaurantId, 'MANAGER').build();
    headers = await server.loginAs(manager.email);
    // Warms the permission cache, and (a first order) the response cache invalidation's id → slug.
    await server.graphql('query($r: ID!) { orders(restaurantId: $r, first: 1) { edges { cursor } } }', { r: restaurantId }, headers);
    expect((await place('warm-up', 1)).body.errors).toBeUndefined();
  });
  afterAll(() => server?.close());

  const createOrder = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id total { amount } items { name } } }';
  const place = (key: string, lines: number) =>
    server.graphql<Json>(
      createOrder,
      {
        input: {
          restaurantId,
          idempotencyKey: key,
          items: Array.from({ length: lines }, (_, index) => ({ menuItemId: menuItemIds[index % menuItemIds.length], quantity: 2 })),
        },
      },
      headers,
    );

  it.each([1, 3, 30])('creates an order of %i lines in 2 statements, with stock and audit', async (lines) => {
    let body: Json;
    const statements = await countStatements(server, async () => {
      ({ body } = await place(`count-${lines}`, lines));
    });

    expect(body.errors).toBeUndefined();
    expect(body.data.createOrder.items).toHaveLength(lines);
    // Menu read; one statement with stock locked and checked, the order, its lines and audit row (idempotency in
    // the INSERT), stock taken with its adjustments; no transaction around them. The answer's lines are the ones
    // written: not read back.
    expect(statements).toHaveLength(2);
    expect(statements.filter((sql) => /^\s*(BEGIN|COMMIT)/.test(sql))).toEqual([]);
    expect(statements.filter((sql) => sql.includes('INSERT INTO "AuditLog"'))).toHaveLength(1);
    expect(statements.filter((sql) => sql.includes('INSERT INTO "OrderItem"'))).toHaveLength(1);
    expect(statements.filter((sql) => sql.includes('INSERT INTO "InventoryAdjustment"'))).toHaveLength(1);
    expect(statements.filter((sql) => /"User"|"Membership"/.test(sql))).toEqual([]);
    const adjustments = await server.infra.db.prisma.inventoryAdjustment.count({ where: { order: { idempotencyKey: `count-${lines}` } } });
    expect(adjustments).toBe(2);
  });

  it('answers a retried key with the first order, inserting nothing', async () => {
    const first = await place('count-retry', 2);
    let body: Json;
    const statements = await countStatements(server, async () => {
      ({ body } = await place('count-retry', 2));
    });

    expect(body.data.createOrder.id).toBe(first.body.data.createOrder.id);
    expect(body.data.createOrder.items).toEqual(first.body.data.createOrder.items);
    // Menu read; the placement (its INSERT … ON CONFLICT DO NOTHING inserts nothing, so no stock moves); the
    // earlier order with its lines (compared with this request's: another order under a used key is
    // IDEMPOTENCY_KEY_REUSED), which also answer the selection's lines.
    expect(statements).toHaveLength(3);
    expect(statements.filter((sql) => sql.includes('INSERT'))).toHaveLength(1);
    expect(await server.infra.db.prisma.order.count({ where: { idempotencyKey: 'count-retry' } })).toBe(1);
  });

  it.each([20, 100])('reads orders(first: %i) → items → menuItem in two statements, counting only when asked', async (first) => {
    for (let index = 0; index < 5; index++) await place(`page-${first}-${index}`, 2);
    // The lines are selected through a fragment: the read-ahead follows it.
    const nested = `query($r: ID!, $n: Int!) { orders(restaurantId: $r, first: $n) { edges { node { id ...Lines } } } }
      fragment Lines on Order { items { name lineTotal { amount currency } menuItem { name } } }`;
    let body: Json;
    const withoutCount = await countStatements(server, async () => {
      ({ body } = await server.graphql<Json>(nested, { r: restaurantId, n: first }, headers));
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.orders.edges.length).toBeGreaterThanOrEqual(5);
    const lines = body.data.orders.edges.flatMap((edge: Json) => edge.node.items);
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines.every((line: Json) => line.menuItem.name && line.lineTotal.currency === 'EUR')).toBe(true);
    // The page with its lines (aggregated as JSON by PostgreSQL), then its distinct menu items once each: nothing
    // for authentication, no count(*).
    expect(withoutCount).toHaveLength(2);
    expect(withoutCount.filter((sql) => sql.includes('"MenuItem"'))).toHaveLength(1);
    expect(withoutCount.some((sql) => /COUNT\(/i.test(sql))).toBe(false);

    const withCount = await countStatements(server, async () => {
      ({ body } = await server.graphql<Json>(
        `query($r: ID!, $n: Int!) { orders(restaurantId: $r, first: $n) { ...Counted edges { node { id } } } }
         fragment Counted on OrderConnection { totalCount }`,
        { r: restaurantId, n: first },
        headers,
      ));
    });
    expect(body.data.orders.totalCount).toBeGreaterThanOrEqual(5);
    expect(withCount).toHaveLength(2);
    expect(withCount.filter((sql) => /COUNT\(/i.test(sql))).toHaveLength(1);
  });
});

/** Redis round trips on the warm nested read, counted on a private redis-server (INFO commandstats). */
describe('Redis commands per request', () => {
  let redis: PrivateRedis | undefined;
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  it('reads a manager’s orders with two: cached permissions and the rate limit (an uncacheable document skips the response cache)', async (ctx) => {
    const started = await startPrivateRedis();
    if ('skipped' in started) return ctx.skip(started.skipped);
    redis = started;
    server = await startTestServer({ REDIS_URL: redis.url });
    const prisma = server.infra.db.prisma;
    const { restaurant } = await aRestaurant(prisma).withCategory('Mains', 1).build();
    const manager = await aUser(prisma).memberOf(restaurant.id, 'MANAGER').build();
    const headers = await server.loginAs(manager.email);
    const read = () =>
      (server as TestServer).graphql<Json>(
        'query($r: ID!) { orders(restaurantId: $r, first: 20) { edges { node { id } } } }',
        { r: restaurant.id },
        headers,
      );
    const counter = new Redis(redis.url);
    const commands = async () => {
      const calls: Record<string, number> = {};
      for (const [, name, count] of (await counter.info('commandstats')).matchAll(/^cmdstat_(\w+(?:\|\w+)?):calls=(\d+)/gm))
        if (name !== 'info') calls[name as string] = Number(count);
      return calls;
    };
    try {
      expect((await read()).body.errors).toBeUndefined(); // learns the document is not cacheable
      const before = await commands();
      for (let index = 0; index < 3; index++) expect((await read()).body.errors).toBeUndefined();
      const after = await commands();
      const perRequest = Object.fromEntries(
        Object.entries(after)
          .map(([name, count]) => [name, (count - (before[name] ?? 0)) / 3])
          .filter(([, count]) => count !== 0),
      );
      // One MGET (permissions and their version), one EVALSHA (the rate limit's script, whose SET, INCRBY and
      // PTTL Redis counts too): two round trips.
      expect(perRequest).toEqual({ mget: 1, evalsha: 1, set: 1, incrby: 1, pttl: 1 });
    } finally {
      counter.disconnect();
    }
  });
});
