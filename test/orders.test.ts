import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { needs } from './testkit/needs.js';
import { whileRowLocked } from './testkit/row-lock.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { countStatements, type Json, startTestServer, type TestServer } from './testkit/test-server.js';

const createOrder = /* GraphQL */ `
  mutation CreateOrder($input: CreateOrderInput!) {
    createOrder(input: $input) {
      id
      status
      subtotal { amount currency }
      tax { amount currency }
      total { amount currency }
      customerName
      notes
      createdAt
      updatedAt
      items { name quantity unitPrice { amount } lineTotal { amount } note menuItem { id } }
    }
  }
`;
const updateStatus = 'mutation($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { id status } }';

describe('orders', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  /** A restaurant with stock, a menu using it, and a signed-in member. */
  async function setUp(options: { stock?: number; threshold?: number; role?: 'STAFF' | 'MANAGER' | 'OWNER' } = {}) {
    const prisma = server.infra.db.prisma;
    const built = await aRestaurant(prisma)
      .withStock('Flour', options.stock ?? 100, { threshold: options.threshold ?? 0 })
      .withCategory('Mains', 3, { recipe: [['Flour', 0.25]] })
      .withCategory('Off', 1, { unavailable: 1 })
      .build();
    const user = await aUser(prisma)
      .memberOf(built.restaurant.id, options.role ?? 'STAFF')
      .build();
    const headers = await server.loginAs(user.email);
    const [first, second] = built.categories[0]?.items ?? [];
    if (!first || !second) throw new Error('menu not built');
    return { ...built, user, headers, first, second, flour: built.stock[0] as { id: string } };
  }

  const order = (
    restaurantId: string,
    items: Array<{ menuItemId: string; quantity: number; note?: string }>,
    key = `key-${Math.random()}`,
  ) => ({
    restaurantId,
    idempotencyKey: key,
    items,
  });

  it('prices the order on the server, snapshots lines, takes stock and audits, in one statement', async () => {
    const { restaurant, first, second, headers, flour, user } = await setUp();
    const prisma = server.infra.db.prisma;

    const { body } = await server.graphql<Json>(
      createOrder,
      {
        input: {
          ...order(restaurant.id, [
            { menuItemId: first.id, quantity: 2, note: 'no <b>onions</b>' },
            { menuItemId: second.id, quantity: 1 },
          ]),
          customerName: 'Ada',
          notes: 'window seat',
        },
      },
      headers,
    );

    expect(body.errors).toBeUndefined();
    const created = body.data.createOrder;
    // 2 × 500 + 1 × 501 = 1501; tax 10 % = 150.1 → 150 (half up); total 1651.
    expect(created).toMatchObject({
      status: 'PENDING',
      subtotal: { amount: 1501, currency: 'EUR' },
      tax: { amount: 150 },
      total: { amount: 1651 },
      customerName: 'Ada',
    });
    expect(created.items).toEqual([
      {
        name: first.name,
        quantity: 2,
        unitPrice: { amount: 500 },
        lineTotal: { amount: 1000 },
        note: 'no onions',
        menuItem: { id: first.id },
      },
      { name: second.name, quantity: 1, unitPrice: { amount: 501 }, lineTotal: { amount: 501 }, note: null, menuItem: { id: second.id } },
    ]);
    const stock = await prisma.inventoryItem.findUniqueOrThrow({ where: { id: flour.id } });
    expect(stock.quantity.toString()).toBe('99.25');
    const adjustments = await prisma.inventoryAdjustment.findMany({ where: { orderId: created.id } });
    expect(adjustments.map((adjustment) => [adjustment.reason, adjustment.delta.toString()])).toEqual([['ORDER', '-0.75']]);
    expect(adjustments.map((adjustment) => [adjustment.quantityAfter.toString(), adjustment.actorId])).toEqual([['99.25', user.id]]);
    expect(await prisma.auditLog.count({ where: { entityId: created.id, action: 'order.create' } })).toBe(1);
    // Nothing is read back after the INSERT: the answer must be the row as stored.
    const stored = await prisma.order.findUniqueOrThrow({
      where: { id: created.id },
      include: { items: { orderBy: { position: 'asc' } } },
    });
    expect([created.createdAt, created.updatedAt]).toEqual([stored.createdAt.toISOString(), stored.updatedAt.toISOString()]);
    expect(Math.abs(stored.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(stored.items.map((item) => [item.position, item.lineTotalAmount, item.createdAt.getTime()])).toEqual([
      [0, 1000, stored.createdAt.getTime()],
      [1, 501, stored.createdAt.getTime()],
    ]);
  });

  it('returns the same order for the same idempotency key, even under concurrent retries', async () => {
    const { restaurant, first, headers } = await setUp();
    const input = order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }], 'retry-me');

    const answers = await Promise.all(Array.from({ length: 6 }, () => server.graphql<Json>(createOrder, { input }, headers)));

    const ids = new Set(answers.map((answer) => answer.body.data?.createOrder?.id));
    expect(answers.every((answer) => answer.body.errors === undefined)).toBe(true);
    expect(ids.size).toBe(1);
    expect(await server.infra.db.prisma.order.count({ where: { restaurantId: restaurant.id } })).toBe(1);
    expect(await server.infra.db.prisma.inventoryAdjustment.count({ where: { restaurantId: restaurant.id } })).toBe(1);
  });

  it('answers a retry with its order after the item was switched off or deleted, and still refuses new orders of it', async () => {
    const { restaurant, first, second, headers } = await setUp({ role: 'MANAGER' });
    const prisma = server.infra.db.prisma;
    const switchedOff = order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }], 'retry-after-switch-off');
    const deleted = order(restaurant.id, [{ menuItemId: second.id, quantity: 2 }], 'retry-after-delete');
    const placed = await Promise.all([switchedOff, deleted].map((input) => server.graphql<Json>(createOrder, { input }, headers)));
    expect(placed.map((answer) => answer.body.errors)).toEqual([undefined, undefined]);

    const off = await server.graphql<Json>(
      'mutation($id: ID!) { setMenuItemAvailability(id: $id, available: false) { id } }',
      { id: first.id },
      headers,
    );
    const gone = await server.graphql<Json>('mutation($id: ID!) { deleteMenuItem(id: $id) { id } }', { id: second.id }, headers);
    expect([off.body.errors, gone.body.errors]).toEqual([undefined, undefined]);

    const retried = await Promise.all([switchedOff, deleted].map((input) => server.graphql<Json>(createOrder, { input }, headers)));
    expect(retried.map((answer) => answer.body.data?.createOrder?.id)).toEqual(placed.map((answer) => answer.body.data.createOrder.id));

    const fresh = await server.graphql<Json>(
      createOrder,
      { input: order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }]) },
      headers,
    );
    expect(fresh.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.items.0.menuItemId' });
    expect(await prisma.order.count({ where: { restaurantId: restaurant.id } })).toBe(2);
  });

  it('refuses a status move when another request moved the order first (CONFLICT), returning no stock', async (ctx) => {
    needs(ctx, 'postgres');
    const { restaurant, first, headers } = await setUp({ role: 'MANAGER' });
    const prisma = server.infra.db.prisma;
    const placed = await server.graphql<Json>(
      createOrder,
      { input: order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }]) },
      headers,
    );
    const orderId: string = placed.body.data.createOrder.id;

    // Another request holds the order and confirms it while this cancel (which read PENDING) waits for the row.
    const { body: refused } = await whileRowLocked(
      inject('databaseUrl') as string,
      { table: 'Order', id: orderId },
      () => server.graphql<Json>(updateStatus, { id: orderId, status: 'CANCELLED' }, headers),
      async (other) => {
        await other.query(`UPDATE "Order" SET status = 'CONFIRMED' WHERE id = $1`, [orderId]);
      },
    );

    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'status', currentStatus: 'CONFIRMED' });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('CONFIRMED');
    expect(await prisma.inventoryAdjustment.count({ where: { orderId, reason: 'ORDER_CANCELLED' } })).toBe(0);
    expect(await prisma.auditLog.count({ where: { entityId: orderId, action: 'order.status' } })).toBe(0);
  });

  it('answers CONFLICT, writing nothing, when a menu item is deleted between the menu read and the INSERT', async (ctx) => {
    needs(ctx, 'postgres');
    const { restaurant, first, headers } = await setUp();
    const prisma = server.infra.db.prisma;

    // The INSERT's foreign-key check waits for the restaurant row another connection holds; meanwhile the item goes.
    const { body } = await whileRowLocked(
      inject('databaseUrl') as string,
      { table: 'Restaurant', id: restaurant.id },
      () =>
        server.graphql<Json>(
          createOrder,
          { input: order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }], 'deleted-meanwhile') },
          headers,
        ),
      async (other) => {
        await other.query('DELETE FROM "MenuItem" WHERE id = $1', [first.id]);
      },
    );

    expect(body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(body.errors?.[0]?.message).toContain('menu changed');
    expect(await prisma.order.count({ where: { restaurantId: restaurant.id } })).toBe(0);
    expect(await prisma.auditLog.count({ where: { restaurantId: restaurant.id, action: 'order.create' } })).toBe(0);
  });

  it('answers CONFLICT, writing nothing, when a stock item its recipe uses is deleted while the order waits for it', async (ctx) => {
    needs(ctx, 'postgres');
    const { restaurant, first, headers, flour } = await setUp();
    const prisma = server.infra.db.prisma;

    // The placement's stock lock waits for the row another connection holds; meanwhile the recipe line and the item go.
    const { body } = await whileRowLocked(
      inject('databaseUrl') as string,
      { table: 'InventoryItem', id: flour.id },
      () =>
        server.graphql<Json>(
          createOrder,
          { input: order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }], 'stock-deleted-meanwhile') },
          headers,
        ),
      async (other) => {
        await other.query('DELETE FROM "MenuItemIngredient" WHERE "inventoryItemId" = $1', [flour.id]);
        await other.query('DELETE FROM "InventoryItem" WHERE id = $1', [flour.id]);
      },
    );

    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', inventoryItemId: flour.id });
    expect(body.errors?.[0]?.message).toContain('deleted meanwhile');
    expect(await prisma.order.count({ where: { restaurantId: restaurant.id } })).toBe(0);
    expect(await prisma.auditLog.count({ where: { restaurantId: restaurant.id, action: 'order.create' } })).toBe(0);
  });

  it('refuses an idempotency key reused for a different order with IDEMPOTENCY_KEY_REUSED, writing nothing', async () => {
    const { restaurant, first, second, headers } = await setUp();
    const original = await server.graphql<Json>(
      createOrder,
      { input: order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }], 'reused-key') },
      headers,
    );
    expect(original.body.errors).toBeUndefined();

    const differentItems = await server.graphql<Json>(
      createOrder,
      { input: order(restaurant.id, [{ menuItemId: second.id, quantity: 1 }], 'reused-key') },
      headers,
    );
    const differentQuantity = await server.graphql<Json>(
      createOrder,
      { input: order(restaurant.id, [{ menuItemId: first.id, quantity: 2 }], 'reused-key') },
      headers,
    );
    const differentNotes = await server.graphql<Json>(
      createOrder,
      { input: { ...order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }], 'reused-key'), notes: 'another order' } },
      headers,
    );

    for (const refused of [differentItems, differentQuantity, differentNotes]) {
      expect(refused.body.data).toBeNull();
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey' });
    }
    // The same request again is still a replay of the first order.
    const replay = await server.graphql<Json>(
      createOrder,
      { input: order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }], 'reused-key') },
      headers,
    );
    expect(replay.body.data.createOrder.id).toBe(original.body.data.createOrder.id);
    expect(await server.infra.db.prisma.order.count({ where: { restaurantId: restaurant.id } })).toBe(1);
  });

  it('rejects unavailable and other-restaurant items with the field path, writing nothing', async () => {
    const { restaurant, first, categories, headers } = await setUp();
    const other = await aRestaurant(server.infra.db.prisma).withCategory('Elsewhere', 1).build();
    const unavailable = categories[1]?.items[0]?.id as string;
    const foreign = other.categories[0]?.items[0]?.id as string;

    for (const [index, menuItemId] of [unavailable, foreign].entries()) {
      const items = [
        { menuItemId: first.id, quantity: 1 },
        { menuItemId, quantity: 1 },
      ];
      const { body } = await server.graphql<Json>(createOrder, { input: order(restaurant.id, items) }, headers);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.items.1.menuItemId' });
      expect(index >= 0).toBe(true);
    }
    expect(await server.infra.db.prisma.order.count({ where: { restaurantId: restaurant.id } })).toBe(0);
  });

  it.each([
    [{ items: [] }, 'input.items'],
    [{ items: [{ quantity: 0 }] }, 'input.items.0.quantity'],
    [{ idempotencyKey: '' }, 'input.idempotencyKey'],
    [{ customerPhone: '<script>' }, 'input.customerPhone'],
    [{ notes: 'x'.repeat(501) }, 'input.notes'],
  ])('validates %j → BAD_USER_INPUT on %s', async (override, field) => {
    const { restaurant, first, headers } = await setUp();
    const base = order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }]);
    const items =
      'items' in override ? (override.items as Array<{ quantity: number }>).map((item) => ({ menuItemId: first.id, ...item })) : base.items;

    const { body } = await server.graphql<Json>(createOrder, { input: { ...base, ...override, items } }, headers);

    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('never oversells stock under concurrent orders', async () => {
    const { restaurant, first, headers, flour } = await setUp({ stock: 0.75 });

    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        server.graphql<Json>(createOrder, { input: order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }]) }, headers),
      ),
    );

    const codes = answers.map((answer) => answer.body.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'OK', 'OK', 'OK']);
    const stock = await server.infra.db.prisma.inventoryItem.findUniqueOrThrow({ where: { id: flour.id } });
    expect(stock.quantity.toString()).toBe('0');
    expect(await server.infra.db.prisma.order.count({ where: { restaurantId: restaurant.id } })).toBe(3);
  });

  it('refuses an order short of stock with CONFLICT naming the item, writing nothing; a retry of an earlier order still gets it', async () => {
    const { restaurant, first, headers, flour } = await setUp({ stock: 0.75 });
    const prisma = server.infra.db.prisma;
    const placedFirst = order(restaurant.id, [{ menuItemId: first.id, quantity: 3 }], 'took-the-last-flour');
    const placed = await server.graphql<Json>(createOrder, { input: placedFirst }, headers);
    expect(placed.body.errors).toBeUndefined();

    const short = await server.graphql<Json>(
      createOrder,
      { input: order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }]) },
      headers,
    );
    const retried = await server.graphql<Json>(createOrder, { input: placedFirst }, headers);

    expect(short.body.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      inventoryItemId: flour.id,
      available: '0',
      needed: '0.25',
    });
    expect(short.body.errors?.[0]?.message).toMatch(/^Not enough "Flour" in stock/);
    expect(retried.body.errors).toBeUndefined();
    expect(retried.body.data.createOrder).toEqual(placed.body.data.createOrder);
    expect(await prisma.order.count({ where: { restaurantId: restaurant.id } })).toBe(1);
    expect(await prisma.orderItem.count({ where: { order: { restaurantId: restaurant.id } } })).toBe(1);
    expect(await prisma.inventoryAdjustment.count({ where: { restaurantId: restaurant.id } })).toBe(1);
    expect(await prisma.auditLog.count({ where: { restaurantId: restaurant.id, action: 'order.create' } })).toBe(1);
  });

  it('places concurrent orders whose recipes share stock items without deadlocks: every row is locked in id order', async () => {
    const prisma = server.infra.db.prisma;
    const built = await aRestaurant(prisma)
      .withStock('Flour', 100)
      .withStock('Cheese', 100)
      .withStock('Tomato', 100)
      .withCategory('Pizza', 1, {
        recipe: [
          ['Tomato', 0.5],
          ['Flour', 0.25],
          ['Cheese', 0.25],
        ],
      })
      .withCategory('Toast', 1, {
        recipe: [
          ['Cheese', 0.5],
          ['Flour', 0.5],
        ],
      })
      .build();
    const user = await aUser(prisma).memberOf(built.restaurant.id, 'STAFF').build();
    const headers = await server.loginAs(user.email);
    const [pizza, toast] = built.categories.map((category) => category.items[0]?.id as string) as [string, string];

    // Lines in both orders, so requests name the shared rows in opposite orders.
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, index) => {
        const lines = [pizza, toast].map((menuItemId) => ({ menuItemId, quantity: 1 }));
        return server.graphql<Json>(createOrder, { input: order(built.restaurant.id, index % 2 ? lines.reverse() : lines) }, headers);
      }),
    );

    expect(answers.map((answer) => answer.body.errors?.[0]?.extensions?.code ?? 'OK')).toEqual(Array(12).fill('OK'));
    const stock = await prisma.inventoryItem.findMany({ where: { restaurantId: built.restaurant.id }, orderBy: { name: 'asc' } });
    expect(stock.map((item) => [item.name, item.quantity.toString()])).toEqual([
      ['Cheese', '91'],
      ['Flour', '91'],
      ['Tomato', '94'],
    ]);
    expect(await prisma.inventoryAdjustment.count({ where: { restaurantId: built.restaurant.id } })).toBe(36);
  });

  it('moves through the life cycle, refuses other transitions, and returns stock on cancellation', async () => {
    const { restaurant, first, headers, flour } = await setUp();
    const place = async () =>
      (await server.graphql<Json>(createOrder, { input: order(restaurant.id, [{ menuItemId: first.id, quantity: 4 }]) }, headers)).body.data
        .createOrder.id;
    const move = async (id: string, status: string): Promise<Json> =>
      (await server.graphql<Json>(updateStatus, { id, status }, headers)).body;

    const completed = await place();
    for (const status of ['CONFIRMED', 'PREPARING', 'READY', 'COMPLETED'])
      expect((await move(completed, status)).data.updateOrderStatus.status).toBe(status);
    const backwards = await move(completed, 'PENDING');
    expect(backwards.errors[0].extensions).toMatchObject({ code: 'INVALID_STATE_TRANSITION', from: 'COMPLETED', to: 'PENDING' });

    const cancelled = await place();
    await move(cancelled, 'CONFIRMED');
    expect((await move(cancelled, 'CANCELLED')).data.updateOrderStatus.status).toBe('CANCELLED');
    const stock = await server.infra.db.prisma.inventoryItem.findUniqueOrThrow({ where: { id: flour.id } });
    expect(stock.quantity.toString()).toBe('99'); // 100 − 1 (completed) − 1 + 1 (cancelled)

    const preparing = await place();
    await move(preparing, 'CONFIRMED');
    await move(preparing, 'PREPARING');
    expect((await move(preparing, 'CANCELLED')).errors[0].extensions.code).toBe('INVALID_STATE_TRANSITION');
  });

  it('pages newest first with cursors, filters by status, and counts all matches', async () => {
    const { restaurant, first, headers } = await setUp();
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      ids.unshift(
        (await server.graphql<Json>(createOrder, { input: order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }]) }, headers)).body
          .data.createOrder.id,
      );
    }
    await server.graphql(updateStatus, { id: ids[0], status: 'CONFIRMED' }, headers);
    const list =
      'query($r: ID!, $after: String, $status: OrderStatus) { orders(restaurantId: $r, first: 2, after: $after, status: $status) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }';

    const pages: string[][] = [];
    let after: string | null = null;
    do {
      const { body }: { body: Json } = await server.graphql<Json>(list, { r: restaurant.id, after }, headers);
      expect(body.data.orders.totalCount).toBe(5);
      pages.push(body.data.orders.edges.map((edge: Json) => edge.node.id));
      after = body.data.orders.pageInfo.hasNextPage ? body.data.orders.pageInfo.endCursor : null;
    } while (after);

    expect(pages).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    const confirmed = await server.graphql<Json>(list, { r: restaurant.id, status: 'CONFIRMED' }, headers);
    expect(confirmed.body.data.orders).toMatchObject({ totalCount: 1, edges: [{ node: { id: ids[0] } }] });
    const badCursor = await server.graphql<Json>(list, { r: restaurant.id, after: 'not-a-cursor' }, headers);
    expect(badCursor.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it("answers a page's orders, lines and menu items (the page, then its menu items) exactly as each order's own loaders do", async () => {
    const { restaurant, categories, first, second, headers } = await setUp({ role: 'MANAGER' });
    const third = categories[0]?.items[2] as { id: string };
    const placed = await server.graphql<Json>(
      createOrder,
      {
        input: {
          ...order(restaurant.id, [
            { menuItemId: second.id, quantity: 3, note: 'well done' },
            { menuItemId: first.id, quantity: 1 },
            { menuItemId: third.id, quantity: 2 },
          ]),
          customerName: 'Grace',
          customerPhone: '+1 555 0100',
          notes: 'terrace',
        },
      },
      headers,
    );
    const id = placed.body.data.createOrder.id as string;
    await server.graphql(updateStatus, { id, status: 'CANCELLED' }, headers);
    await server.infra.db.prisma.menuItem.update({ where: { id: first.id }, data: { description: 'Stone-baked' } });
    // A line whose menu item has since been deleted keeps its snapshot and answers a null menu item.
    const deleted = await server.graphql<Json>('mutation($id: ID!) { deleteMenuItem(id: $id) { id } }', { id: third.id }, headers);
    expect(deleted.body.errors).toBeUndefined();
    const fields = `id status idempotencyKey notes customerName customerPhone createdAt updatedAt completedAt cancelledAt
      subtotal { amount currency } tax { amount currency } total { amount currency }
      items { id name quantity note unitPrice { amount currency } lineTotal { amount currency }
        menuItem { id name description price { amount currency } available sortOrder recipe { quantity } } }`;

    const own = await server.graphql<Json>(`query($id: ID!) { order(id: $id) { ${fields} } }`, { id }, headers);
    const createdAt = new Date(own.body.data.order.createdAt).getTime();
    const window = { from: new Date(createdAt).toISOString(), to: new Date(createdAt + 1).toISOString() };
    const paged = await server.graphql<Json>(
      `query($r: ID!, $from: DateTime, $to: DateTime) { orders(restaurantId: $r, first: 10, status: CANCELLED, from: $from, to: $to) { edges { node { ${fields} } } } }`,
      { r: restaurant.id, ...window },
      headers,
    );

    expect(own.body.errors).toBeUndefined();
    expect(paged.body.errors).toBeUndefined();
    expect(own.body.data.order).toMatchObject({
      customerPhone: '+1 555 0100',
      items: [{ note: 'well done' }, { note: null }, { quantity: 2, menuItem: null }],
    });
    expect(own.body.data.order.items[1].menuItem.description).toBe('Stone-baked');
    expect(paged.body.data.orders.edges).toEqual([{ node: own.body.data.order }]);
  });

  it.each([5, 50])(
    'resolves restaurant → orders → items → menuItem → category in a constant number of statements (%i orders)',
    async (count) => {
      const { restaurant, first, second, headers } = await setUp();
      const prisma = server.infra.db.prisma;
      for (let index = 0; index < count; index++) {
        await prisma.order.create({
          data: {
            restaurantId: restaurant.id,
            idempotencyKey: `bulk-${index}`,
            currency: 'EUR',
            subtotalAmount: 1001,
            taxAmount: 100,
            totalAmount: 1101,
            items: {
              create: [first, second].map((item) => ({
                menuItemId: item.id,
                name: item.name,
                unitPriceAmount: 500,
                quantity: 1,
                lineTotalAmount: 500,
              })),
            },
          },
        });
      }
      const query = `query($slug: String!) { restaurant(slug: $slug) { orders(first: 50) { totalCount edges { node { id total { amount } items { quantity lineTotal { amount } menuItem { name category { name } } } } } } } }`;

      let orders = 0;
      const statements = await countStatements(server, async () => {
        const { body } = await server.graphql<Json>(query, { slug: restaurant.slug }, headers);
        expect(body.errors).toBeUndefined();
        orders = body.data.restaurant.orders.edges.length;
      });

      expect(orders).toBe(count);
      // The viewer's roles (user with memberships), restaurant, the order page with its lines (one statement),
      // their menu items, count, categories.
      expect(statements).toHaveLength(6);
    },
  );

  it('keeps orders inside their restaurant for every role', async () => {
    const { restaurant, first, headers } = await setUp();
    const created = (
      await server.graphql<Json>(createOrder, { input: order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }]) }, headers)
    ).body.data.createOrder.id;
    const outsider = await setUp({ role: 'OWNER' });

    const read = await server.graphql<Json>('query($id: ID!) { order(id: $id) { id } }', { id: created }, outsider.headers);
    const unknown = await server.graphql<Json>('query($id: ID!) { order(id: $id) { id } }', { id: 'no-such-order' }, outsider.headers);
    const list = await server.graphql<Json>(
      'query($r: ID!) { orders(restaurantId: $r) { totalCount } }',
      { r: restaurant.id },
      outsider.headers,
    );
    const write = await server.graphql<Json>(
      createOrder,
      { input: order(restaurant.id, [{ menuItemId: first.id, quantity: 1 }]) },
      outsider.headers,
    );
    const move = await server.graphql<Json>(updateStatus, { id: created, status: 'CONFIRMED' }, outsider.headers);
    const anonymous = await server.graphql<Json>('query($id: ID!) { order(id: $id) { id } }', { id: created });

    expect(read.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(read.body.errors?.[0]?.message).toBe(unknown.body.errors?.[0]?.message.replace('no-such-order', created));
    expect(list.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(write.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(move.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const stored = await server.infra.db.prisma.order.findUniqueOrThrow({ where: { id: created } });
    expect(stored.status).toBe('PENDING');
    expect(await server.infra.db.prisma.order.count({ where: { restaurantId: restaurant.id } })).toBe(1);
  });
});
