import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { errorCode, type Json, startTestServer, type TestServer, testPassword } from './testkit/test-server.js';

/** Business-logic abuse (docs/security/penetration-test-checklist.md, API6): what a signed-in user tries. */
describe('business-logic abuse', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());
  const prisma = () => server.infra.db.prisma;

  async function setUp() {
    const built = await aRestaurant(prisma()).withCategory('Mains', 2).build();
    const owner = await aUser(prisma()).memberOf(built.restaurant.id, 'OWNER').build();
    const staff = await aUser(prisma()).memberOf(built.restaurant.id, 'STAFF').build();
    const [item] = built.categories[0]?.items ?? [];
    if (!item) throw new Error('menu not built');
    return {
      ...built,
      item,
      owner,
      staff,
      ownerHeaders: await server.loginAs(owner.email),
      staffHeaders: await server.loginAs(staff.email),
    };
  }
  const createOrder =
    'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id status total { amount } items { unitPrice { amount } } } }';
  const ordersOf = (restaurantId: string) => prisma().order.count({ where: { restaurantId } });

  it('ignores client-sent prices and totals: the schema refuses the fields, and the server prices from the menu', async () => {
    const { restaurant, item, staffHeaders } = await setUp();
    const tampered = await server.graphql<Json>(
      createOrder,
      {
        input: {
          restaurantId: restaurant.id,
          idempotencyKey: 'tamper-1',
          items: [{ menuItemId: item.id, quantity: 2, unitPrice: 1 }],
          total: 1,
        },
      },
      staffHeaders,
    );
    expect(errorCode(tampered.body)).toBe('BAD_USER_INPUT');
    expect(tampered.body.errors?.[0]?.message).toMatch(/unitPrice|total/);
    expect(await ordersOf(restaurant.id)).toBe(0);

    const honest = await server.graphql<Json>(
      createOrder,
      { input: { restaurantId: restaurant.id, idempotencyKey: 'tamper-2', items: [{ menuItemId: item.id, quantity: 2 }] } },
      staffHeaders,
    );
    // 2 × the menu price, plus the restaurant's 10 % tax.
    expect(honest.body.data.createOrder.items).toEqual([{ unitPrice: { amount: item.priceAmount } }]);
    expect(honest.body.data.createOrder.total.amount).toBe(Math.round(item.priceAmount * 2 * 1.1));
  });

  it('refuses zero, negative, huge and fractional quantities with a client error, writing nothing', async () => {
    const { restaurant, item, staffHeaders } = await setUp();
    const codes = [];
    for (const quantity of [0, -1, 1000, 2 ** 31, 1.5]) {
      const { status, body } = await server.graphql<Json>(
        createOrder,
        { input: { restaurantId: restaurant.id, idempotencyKey: `qty-${quantity}`, items: [{ menuItemId: item.id, quantity }] } },
        staffHeaders,
      );
      expect(status, String(quantity)).toBeLessThan(500);
      codes.push(errorCode(body));
    }
    expect(codes).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(await ordersOf(restaurant.id)).toBe(0);
  });

  it('refuses mass assignment: fields an input does not declare (status, isAdmin) are rejected, not applied', async () => {
    const { restaurant, item, staffHeaders, ownerHeaders } = await setUp();
    const order = await server.graphql<Json>(
      createOrder,
      {
        input: {
          restaurantId: restaurant.id,
          idempotencyKey: 'mass-1',
          items: [{ menuItemId: item.id, quantity: 1 }],
          status: 'COMPLETED',
        },
      },
      staffHeaders,
    );
    const newcomer = await aUser(prisma()).build();
    const member = await server.graphql<Json>(
      'mutation($input: AddMemberInput!) { addMember(input: $input) { role } }',
      { input: { restaurantId: restaurant.id, email: newcomer.email, role: 'STAFF', isAdmin: true } },
      ownerHeaders,
    );

    expect([errorCode(order.body), errorCode(member.body)]).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(await ordersOf(restaurant.id)).toBe(0);
    expect(await prisma().user.findUniqueOrThrow({ where: { id: newcomer.id } })).toMatchObject({ isAdmin: false });
    expect(await prisma().membership.count({ where: { userId: newcomer.id } })).toBe(0);
  });

  it('lets a partner key mint no key: an ad-hoc createApiKey is refused and nothing is written', async () => {
    const { restaurant, ownerHeaders } = await setUp();
    const created = await server.graphql<Json>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { restaurantId: restaurant.id, partnerName: 'MenuOnly', scopes: ['MENU_READ'] } },
      ownerHeaders,
    );
    const secret = created.body.data.createApiKey.secret as string;
    const escalate = await server.graphql<Json>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { restaurantId: restaurant.id, partnerName: 'Escalated', scopes: ['MENU_READ', 'ORDERS_READ', 'ORDERS_WRITE'] } },
      { 'x-api-key': secret },
    );

    expect(errorCode(escalate.body)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    expect(await prisma().apiKey.count({ where: { restaurantId: restaurant.id } })).toBe(1);
  });

  it('gives no enumeration oracle: addMember answers non-owners alike for known and unknown emails, and ids of other tenants look unknown', async () => {
    const { restaurant, staffHeaders } = await setUp();
    const other = await setUp();
    const known = await aUser(prisma()).build();
    const add = (email: string) =>
      server.graphql<Json>(
        'mutation($input: AddMemberInput!) { addMember(input: $input) { role } }',
        {
          input: { restaurantId: restaurant.id, email, role: 'STAFF' },
        },
        staffHeaders,
      );
    const [forKnown, forUnknown] = await Promise.all([add(known.email), add('nobody-at-all@servio.test')]);
    // Everything but the request id is the same.
    const shape = (body: Json) =>
      body.errors.map((error: Json) => ({ message: error.message, code: error.extensions?.code, field: error.extensions?.field }));
    expect(shape(forKnown.body)).toEqual(shape(forUnknown.body));
    expect(errorCode(forKnown.body)).toBe('FORBIDDEN');

    // An order of another restaurant and an id that never existed get the same NOT_FOUND.
    const theirs = await server.graphql<Json>(
      createOrder,
      {
        input: { restaurantId: other.restaurant.id, idempotencyKey: 'enum-1', items: [{ menuItemId: other.item.id, quantity: 1 }] },
      },
      other.staffHeaders,
    );
    const theirId = theirs.body.data.createOrder.id as string;
    const missingId = `${theirId.slice(0, -4)}0000`;
    const read = (id: string) => server.graphql<Json>('query($id: ID!) { order(id: $id) { id } }', { id }, staffHeaders);
    const [foreign, missing] = await Promise.all([read(theirId), read(missingId)]);
    expect(errorCode(foreign.body)).toBe('NOT_FOUND');
    expect(foreign.body.errors?.[0]?.message.replace(theirId, 'ID')).toBe(missing.body.errors?.[0]?.message.replace(missingId, 'ID'));
  });

  it('signs in unknown and known emails in comparable time (argon2 runs either way), measured over interleaved pairs', async () => {
    const users = await Promise.all(Array.from({ length: 3 }, () => aUser(prisma()).build()));
    const login = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }';
    const timed = async (email: string) => {
      const started = performance.now();
      const { body } = await server.graphql<Json>(login, { email, password: `${testPassword}-wrong` });
      expect(errorCode(body)).toBe('UNAUTHENTICATED');
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so load on the machine hits both sides alike; three users keep any lockout away.
    for (let round = 0; round < 12; round++) {
      known.push(await timed((users[round % users.length] as { email: string }).email));
      unknown.push(await timed(`nobody-${round}@servio.test`));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    // Skipping argon2 for unknown emails would make them ~10× faster; equal work keeps the ratio near 1.
    const ratio = median(unknown) / median(known);
    expect(ratio, `unknown ${median(unknown).toFixed(1)} ms vs known ${median(known).toFixed(1)} ms`).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
