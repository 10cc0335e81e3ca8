import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { startTestServer, type TestServer } from './testkit/test-server.js';

/** docs/user-guides.md, as (section, operation, variables) in document order. */
function guideOperations() {
  const guide = readFileSync(new URL('../docs/user-guides.md', import.meta.url), 'utf8');
  return guide.split(/^## /m).flatMap((section) => {
    const heading = section.slice(0, section.indexOf('\n'));
    return [...section.matchAll(/```graphql\n([\s\S]*?)```\s*```json\n([\s\S]*?)```/g)].map(([, query, variables]) => ({
      section: heading,
      name: /^(?:query|mutation|subscription) (\w+)/m.exec(query as string)?.[1] ?? '(unnamed)',
      query: query as string,
      variables: JSON.parse(variables as string) as Record<string, unknown>,
    }));
  });
}

/** `"$orderId"` → the value the app would have from an earlier answer. */
function fillIn(value: unknown, bindings: Record<string, unknown>): unknown {
  if (typeof value === 'string' && value.startsWith('$')) {
    const name = value.slice(1);
    if (!(name in bindings)) throw new Error(`the guide uses ${value}, which no earlier step provides`);
    return bindings[name];
  }
  if (Array.isArray(value)) return value.map((item) => fillIn(item, bindings));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillIn(item, bindings)]));
  return value;
}

/** Every operation of the user guide runs, in order, as the role its section is written for. */
describe('docs/user-guides.md', () => {
  let server: TestServer;
  const headersFor: Record<string, { authorization: string }> = {};
  const bindings: Record<string, unknown> = {};

  beforeAll(async () => {
    server = await startTestServer();
    const prisma = server.infra.db.prisma;
    const { restaurant, categories, stock } = await aRestaurant(prisma)
      .withStock('Flour', 3, { threshold: 5 })
      .withCategory('Mains', 3, { recipe: [['Flour', 0.1]] })
      .build();
    const [owner, manager, staff, admin] = await Promise.all([
      aUser(prisma).memberOf(restaurant.id, 'OWNER').build(),
      aUser(prisma).memberOf(restaurant.id, 'MANAGER').build(),
      aUser(prisma).memberOf(restaurant.id, 'STAFF').build(),
      aUser(prisma).admin().build(),
    ]);
    const [ownerHeaders, managerHeaders, staffHeaders, adminHeaders] = await Promise.all(
      [owner, manager, staff, admin].map((user) => server.loginAs(user.email)),
    );
    Object.assign(headersFor, {
      Everyone: staffHeaders,
      Staff: staffHeaders,
      Managers: managerHeaders,
      Owners: ownerHeaders,
      'Platform admins': adminHeaders,
    });
    Object.assign(bindings, {
      restaurantId: restaurant.id,
      restaurantSlug: restaurant.slug,
      categoryId: categories[0]?.category.id,
      menuItemId: categories[0]?.items[0]?.id,
      inventoryItemId: stock[0]?.id,
      staffUserId: staff.id,
      weekStart: new Date(Date.now() - 7 * 86_400_000).toISOString(),
      now: new Date().toISOString(),
    });
  }, 120_000);
  afterAll(() => server?.close());

  it('has an operation for every role', () => {
    const sections = new Set(guideOperations().map((operation) => operation.section.split(':')[0]));
    expect([...sections].sort()).toEqual(['Everyone', 'Managers', 'Owners', 'Platform admins', 'Staff']);
  });

  it('runs every operation without an error, as its role', async () => {
    const ran: string[] = [];
    for (const operation of guideOperations()) {
      const role = operation.section.split(':')[0] as string;
      const { body } = await server.graphql(
        operation.query,
        fillIn(operation.variables, bindings) as Record<string, unknown>,
        headersFor[role],
      );
      expect({ operation: operation.name, errors: body.errors }).toEqual({ operation: operation.name, errors: undefined });
      for (const [field, value] of Object.entries(body.data ?? {})) expect(value, `${operation.name}.${field}`).not.toBeNull();
      // What later steps of the guide use, as an app would keep it.
      const data = body.data as Record<string, { id?: string }>;
      if (operation.name === 'PlaceOrder') bindings.orderId = data.createOrder?.id;
      ran.push(operation.name);
    }
    expect(ran).toEqual(
      expect.arrayContaining(['PlaceOrder', 'AdvanceOrder', 'ReceiveStock', 'WeeklyReport', 'CreateDeliveryKey', 'SupportLookup']),
    );
  });

  it('moved the order and recorded it in the audit log, as the guide says', async () => {
    const { body } = await server.graphql<{ order: { status: string } }>(
      'query($id: ID!) { order(id: $id) { status } }',
      { id: bindings.orderId },
      headersFor.Staff,
    );
    expect(body.data?.order.status).toBe('CONFIRMED');
  });
});
