import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectGraphqlWs } from './testkit/graphql-ws-client.js';
import { needs } from './testkit/needs.js';
import { scrape } from './testkit/prometheus.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type Json, startTestServer, type TestServer } from './testkit/test-server.js';

const orderUpdated = 'subscription($r: ID!) { orderUpdated(restaurantId: $r) { id status total { amount } } }';
const createOrder = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';

/** Collects the first `count` results of a subscription (or its error). */
function take(client: Client, query: string, variables: Record<string, unknown>, count: number) {
  const results: Json[] = [];
  let unsubscribe: () => void = () => {};
  const done = new Promise<Json[]>((resolve, reject) => {
    unsubscribe = client.subscribe(
      { query, variables },
      {
        next: (result) => {
          results.push(result);
          if (results.length === count) resolve(results);
        },
        error: (error) => (results.length ? resolve(results) : reject(error)),
        complete: () => resolve(results),
      },
    );
  });
  return { done, results, unsubscribe: () => unsubscribe() };
}

/** Opens subscriptions with `open`, then waits until `target` has started `count` more of `field`. */
async function subscribing<T>(target: TestServer, field: string, count: number, open: () => T): Promise<T> {
  const started = async () => (await scrape(target))('servio_graphql_subscriptions_total', { subscription: field, state: 'started' }) ?? 0;
  const before = await started();
  const opened = open();
  await expect.poll(started, { timeout: 10_000 }).toBe(before + count);
  return opened;
}

describe('subscriptions over graphql-ws', () => {
  let server: TestServer;
  const clients: Client[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await server?.close();
  });

  async function setUp() {
    const prisma = server.infra.db.prisma;
    const { restaurant, categories } = await aRestaurant(prisma).withCategory('Mains', 1).build();
    const staff = await aUser(prisma).memberOf(restaurant.id, 'STAFF').build();
    const headers = await server.loginAs(staff.email);
    const menuItemId = categories[0]?.items[0]?.id as string;
    const place = async () =>
      (
        await server.graphql<Json>(
          createOrder,
          { input: { restaurantId: restaurant.id, idempotencyKey: `k-${Math.random()}`, items: [{ menuItemId, quantity: 2 }] } },
          headers,
        )
      ).body.data.createOrder.id as string;
    return { restaurant, headers, place };
  }

  it('delivers new orders and status changes to staff of the restaurant', async () => {
    const { restaurant, headers, place } = await setUp();
    const client = connectGraphqlWs(server, { authorization: headers.authorization });
    clients.push(client);
    const events = await subscribing(server, 'orderUpdated', 1, () => take(client, orderUpdated, { r: restaurant.id }, 2));

    const orderId = await place();
    // Each event is read from the database when it is delivered: the first must arrive before the status changes.
    await expect.poll(() => events.results.length, { timeout: 10_000 }).toBe(1);
    await server.graphql('mutation($id: ID!) { updateOrderStatus(id: $id, status: CONFIRMED) { id } }', { id: orderId }, headers);

    const results = await events.done;
    expect(results.map((result) => result.data.orderUpdated)).toEqual([
      { id: orderId, status: 'PENDING', total: { amount: 1100 } },
      { id: orderId, status: 'CONFIRMED', total: { amount: 1100 } },
    ]);
  });

  it("refuses another restaurant's stream and anonymous sockets", async () => {
    const { restaurant } = await setUp();
    const outsider = await setUp();
    const client = connectGraphqlWs(server, { authorization: outsider.headers.authorization });
    clients.push(client);

    const denied = await take(client, orderUpdated, { r: restaurant.id }, 1).done;
    expect(denied[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const anonymous = connectGraphqlWs(server, {});
    clients.push(anonymous);
    const anonymousResult = await take(anonymous, orderUpdated, { r: restaurant.id }, 1).done;
    expect(anonymousResult[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const forged = connectGraphqlWs(server, { authorization: 'Bearer not.a.token' });
    clients.push(forged);
    await expect(take(forged, orderUpdated, { r: restaurant.id }, 1).done).rejects.toMatchObject({ code: 4403 });
  });

  it('tells staff once when stock falls to its reorder threshold', async () => {
    const prisma = server.infra.db.prisma;
    const { restaurant, stock } = await aRestaurant(prisma).withStock('Flour', 10, { threshold: 4 }).build();
    const manager = await aUser(prisma).memberOf(restaurant.id, 'MANAGER').build();
    const headers = await server.loginAs(manager.email);
    const client = connectGraphqlWs(server, { authorization: headers.authorization });
    clients.push(client);
    const events = await subscribing(server, 'inventoryLow', 1, () =>
      take(client, 'subscription($r: ID!) { inventoryLow(restaurantId: $r) { id name quantity } }', { r: restaurant.id }, 1),
    );
    const waste = (delta: string) =>
      server.graphql(
        'mutation($input: AdjustInventoryInput!) { adjustInventory(input: $input) { id } }',
        { input: { inventoryItemId: stock[0]?.id, reason: 'WASTE', delta } },
        headers,
      );

    await waste('-5'); // 10 → 5: still above 4
    await waste('-2'); // 5 → 3: crosses

    const [result] = await events.done;
    expect(result?.data.inventoryLow).toEqual({ id: stock[0]?.id, name: 'Flour', quantity: '3' });
  });

  it('tells a member when a task is assigned to them, and nobody else', async () => {
    const prisma = server.infra.db.prisma;
    const { restaurant } = await aRestaurant(prisma).build();
    const manager = await aUser(prisma).memberOf(restaurant.id, 'MANAGER').build();
    const assignee = await aUser(prisma).memberOf(restaurant.id, 'STAFF').build();
    const bystander = await aUser(prisma).memberOf(restaurant.id, 'STAFF').build();
    const listen = async (user: { email: string }) => {
      const client = connectGraphqlWs(server, { authorization: (await server.loginAs(user.email)).authorization });
      clients.push(client);
      return take(client, 'subscription { taskAssigned { title assignee { email } } }', {}, 1);
    };
    const [forAssignee, forBystander] = await subscribing(server, 'taskAssigned', 2, async () => [
      await listen(assignee),
      await listen(bystander),
    ]);
    const assign = async (title: string, assigneeId: string) =>
      server.graphql(
        'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
        { input: { restaurantId: restaurant.id, title, assigneeId } },
        await server.loginAs(manager.email),
      );

    await assign('Polish the brass', assignee.id);
    expect((await forAssignee.done)[0]?.data.taskAssigned).toEqual({ title: 'Polish the brass', assignee: { email: assignee.email } });
    // Events arrive in order: if the bystander had been told of the first task, it would come first.
    await assign('Sweep the yard', bystander.id);
    expect((await forBystander.done)[0]?.data.taskAssigned).toEqual({ title: 'Sweep the yard', assignee: { email: bystander.email } });
  });

  it('fans events out through Redis to subscribers on another server instance', async (ctx) => {
    needs(ctx, 'redis');
    const { restaurant, headers, place } = await setUp();
    const other = await startTestServer();
    try {
      const client = connectGraphqlWs(other, { authorization: headers.authorization });
      clients.push(client);
      const events = await subscribing(other, 'orderUpdated', 1, () => take(client, orderUpdated, { r: restaurant.id }, 1));

      const orderId = await place();

      expect((await events.done)[0]?.data.orderUpdated.id).toBe(orderId);
    } finally {
      await other.close();
    }
  });
});
