import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type Json, startTestServer, type TestServer } from './testkit/test-server.js';

const query = /* GraphQL */ `
  query($r: ID!, $from: DateTime!, $to: DateTime!) {
    salesAnalytics(restaurantId: $r, from: $from, to: $to) {
      timezone
      salesByDay { date orderCount revenue { amount currency } }
      topItems(first: 2) { name quantity revenue { amount } menuItem { id } }
      averageOrderValue { amount }
      ordersByStatus { status count }
      laborVsSales { date hoursWorked revenue { amount } revenuePerLaborHour { amount } }
    }
  }
`;

describe('sales analytics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("aggregates sales, top items, status counts and labour by day in the restaurant's time zone", async () => {
    const prisma = server.infra.db.prisma;
    const { restaurant, categories } = await aRestaurant(prisma).withCategory('Mains', 2).build(); // Europe/Paris, EUR
    const [soup, stew] = categories[0]?.items ?? [];
    const manager = await aUser(prisma).memberOf(restaurant.id, 'MANAGER').build();
    const place = (createdAt: string, status: 'COMPLETED' | 'CANCELLED', lines: Array<[typeof soup, number]>) => {
      const subtotal = lines.reduce((sum, [item, quantity]) => sum + (item?.priceAmount ?? 0) * quantity, 0);
      return prisma.order.create({
        data: {
          restaurantId: restaurant.id,
          idempotencyKey: `a-${createdAt}-${status}`,
          status,
          currency: 'EUR',
          subtotalAmount: subtotal,
          taxAmount: 0,
          totalAmount: subtotal,
          createdAt: new Date(createdAt),
          items: {
            create: lines.map(([item, quantity]) => ({
              menuItemId: item?.id,
              name: item?.name ?? '',
              unitPriceAmount: item?.priceAmount ?? 0,
              quantity,
              lineTotalAmount: (item?.priceAmount ?? 0) * quantity,
            })),
          },
        },
      });
    };
    // 22:30 UTC is 23:30 in Paris (10 March); 23:30 UTC is already 00:30 on 11 March.
    await place('2026-03-10T22:30:00Z', 'COMPLETED', [[soup, 2]]); // 1000
    await place('2026-03-10T23:30:00Z', 'COMPLETED', [
      [stew, 1],
      [soup, 1],
    ]); // 501 + 500
    await place('2026-03-11T12:00:00Z', 'CANCELLED', [[stew, 5]]);
    await prisma.timeEntry.create({
      data: {
        restaurantId: restaurant.id,
        userId: manager.id,
        clockInAt: new Date('2026-03-10T16:00:00Z'),
        clockOutAt: new Date('2026-03-10T20:00:00Z'),
      },
    });

    const { body } = await server.graphql<Json>(
      query,
      { r: restaurant.id, from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' },
      await server.loginAs(manager.email),
    );

    expect(body.errors).toBeUndefined();
    const analytics = body.data.salesAnalytics;
    expect(analytics.timezone).toBe('Europe/Paris');
    expect(analytics.salesByDay).toEqual([
      { date: '2026-03-10', orderCount: 1, revenue: { amount: 1000, currency: 'EUR' } },
      { date: '2026-03-11', orderCount: 1, revenue: { amount: 1001, currency: 'EUR' } },
    ]);
    expect(analytics.topItems).toEqual([
      { name: soup?.name, quantity: 3, revenue: { amount: 1500 }, menuItem: { id: soup?.id } },
      { name: stew?.name, quantity: 1, revenue: { amount: 501 }, menuItem: { id: stew?.id } },
    ]);
    expect(analytics.averageOrderValue).toEqual({ amount: 1001 }); // (1000 + 1001) / 2 = 1000.5 → 1001
    expect(analytics.ordersByStatus).toEqual([
      { status: 'COMPLETED', count: 2 },
      { status: 'CANCELLED', count: 1 },
    ]);
    expect(analytics.laborVsSales).toEqual([
      { date: '2026-03-10', hoursWorked: 4, revenue: { amount: 1000 }, revenuePerLaborHour: { amount: 250 } },
      { date: '2026-03-11', hoursWorked: 0, revenue: { amount: 1001 }, revenuePerLaborHour: null },
    ]);
  });

  it('is for managers and owners of the restaurant only, over a bounded period', async () => {
    const prisma = server.infra.db.prisma;
    const { restaurant } = await aRestaurant(prisma).build();
    const staff = await aUser(prisma).memberOf(restaurant.id, 'STAFF').build();
    const owner = await aUser(prisma).memberOf(restaurant.id, 'OWNER').build();
    const outsider = await aUser(prisma)
      .memberOf((await aRestaurant(prisma).build()).restaurant.id, 'OWNER')
      .build();
    const period = { r: restaurant.id, from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' };

    const byStaff = await server.graphql<Json>(query, period, await server.loginAs(staff.email));
    const byOutsider = await server.graphql<Json>(query, period, await server.loginAs(outsider.email));
    const ownerHeaders = await server.loginAs(owner.email);
    const tooLong = await server.graphql<Json>(query, { ...period, to: '2028-01-01T00:00:00Z' }, ownerHeaders);
    const backwards = await server.graphql<Json>(query, { ...period, to: '2025-01-01T00:00:00Z' }, ownerHeaders);
    const empty = await server.graphql<Json>(query, period, ownerHeaders);

    expect(byStaff.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(byOutsider.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(tooLong.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(backwards.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(empty.body.data.salesAnalytics).toMatchObject({
      salesByDay: [],
      topItems: [],
      averageOrderValue: { amount: 0 },
      laborVsSales: [],
    });
  });
});
