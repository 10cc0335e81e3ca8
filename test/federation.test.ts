import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { countStatements, startTestServer, type TestServer } from './testkit/test-server.js';

describe('federation v2 subgraph', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('publishes its SDL with the federation link and entity keys', async () => {
    const { body } = await server.graphql<{ _service: { sdl: string } }>('{ _service { sdl } }');

    const sdl = body.data?._service.sdl ?? '';
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
    expect(sdl).toMatch(/type Restaurant\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type MenuItem\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type MenuCategory\s+@key\(fields: "id"\)/);
  });

  it('resolves entity representations in one batched statement per type', async () => {
    const { restaurant, categories } = await aRestaurant(server.infra.db.prisma).withCategory('Mains', 5).build();
    const items = categories[0]?.items ?? [];
    const representations = [
      { __typename: 'Restaurant', id: restaurant.id },
      ...items.map((item) => ({ __typename: 'MenuItem', id: item.id })),
      { __typename: 'MenuItem', id: 'does-not-exist' },
    ];
    const query = `query($representations: [_Any!]!) {
      _entities(representations: $representations) {
        __typename
        ... on Restaurant { slug }
        ... on MenuItem { name price { amount } }
      }
    }`;

    let entities: Array<Record<string, unknown> | null> = [];
    const statements = await countStatements(server, async () => {
      const { body } = await server.graphql<{ _entities: typeof entities }>(query, { representations });
      expect(body.errors).toBeUndefined();
      entities = body.data?._entities ?? [];
    });

    expect(entities[0]).toEqual({ __typename: 'Restaurant', slug: restaurant.slug });
    expect(entities.slice(1, 6).map((entity) => entity?.name)).toEqual(items.map((item) => item.name));
    expect(entities[6]).toBeNull();
    expect(statements).toHaveLength(2);
  });

  it('resolves a switched-off menu item only for whom menuItems shows it, and to anyone else as an unknown id (null)', async () => {
    const prisma = server.infra.db.prisma;
    const { restaurant, categories } = await aRestaurant(prisma).withCategory('Drinks', 2, { unavailable: 1 }).build();
    const [off, on] = categories[0]?.items ?? [];
    const other = await aRestaurant(prisma).build();
    const login = async (restaurantId: string, role: 'OWNER' | 'STAFF') =>
      server.loginAs((await aUser(prisma).memberOf(restaurantId, role).build()).email);
    const [staff, owner, otherOwner] = await Promise.all([
      login(restaurant.id, 'STAFF'),
      login(restaurant.id, 'OWNER'),
      login(other.restaurant.id, 'OWNER'),
    ]);
    const query = `query($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on MenuItem { id available } }
    }`;
    const representations = [off?.id, on?.id, 'does-not-exist'].map((id) => ({ __typename: 'MenuItem', id }));
    const entities = async (headers?: Record<string, string>) => {
      const { body, headers: response } = await server.graphql<{ _entities: unknown[] }>(query, { representations }, headers);
      expect(body.errors).toBeUndefined();
      // Who asks decides the answer: it is never a shared (public) cache entry.
      expect(response.get('cache-control') ?? '').not.toMatch(/public/);
      return body.data?._entities;
    };
    const shown = [{ id: off?.id, available: false }, { id: on?.id, available: true }, null];
    const hidden = [null, { id: on?.id, available: true }, null];

    // Those who see it first, so a cached answer of theirs would show in the outsiders' answers below.
    for (const [who, headers] of [
      ["the restaurant's staff", staff],
      ["the restaurant's owner", owner],
    ] as const) {
      expect({ who, entities: await entities(headers) }).toEqual({ who, entities: shown });
    }
    for (const [who, headers] of [
      ['anonymous', undefined],
      ["another restaurant's owner", otherOwner],
    ] as const) {
      expect({ who, entities: await entities(headers) }).toEqual({ who, entities: hidden });
    }
  });

  it.each([10, 50])('resolves %i mixed entity representations in a constant number of statements', async (count) => {
    const prisma = server.infra.db.prisma;
    const admin = await aUser(prisma).admin().build();
    const headers = await server.loginAs(admin.email);
    const perType = count / 5;
    const built = await Promise.all(Array.from({ length: perType }, () => aRestaurant(prisma).withCategory('Mains', 2).build()));
    const staff = await Promise.all(built.map(({ restaurant }) => aUser(prisma).memberOf(restaurant.id, 'STAFF').build()));
    const orders = await Promise.all(
      built.map(({ restaurant }, index) =>
        prisma.order.create({
          data: {
            restaurantId: restaurant.id,
            idempotencyKey: `fed-${index}`,
            currency: 'EUR',
            subtotalAmount: 100,
            taxAmount: 10,
            totalAmount: 110,
          },
        }),
      ),
    );
    const representations = [
      ...built.map(({ restaurant }) => ({ __typename: 'Restaurant', id: restaurant.id })),
      ...built.flatMap(({ categories }) => (categories[0]?.items ?? []).map((item) => ({ __typename: 'MenuItem', id: item.id }))),
      ...orders.map((order) => ({ __typename: 'Order', id: order.id })),
      ...staff.map((user) => ({ __typename: 'User', id: user.id })),
    ];
    expect(representations).toHaveLength(count);
    const query = `query($representations: [_Any!]!) {
      _entities(representations: $representations) {
        __typename
        ... on Restaurant { slug }
        ... on MenuItem { name }
        ... on Order { total { amount } }
        ... on User { email }
      }
    }`;

    let resolved = 0;
    const statements = await countStatements(server, async () => {
      const { body } = await server.graphql<{ _entities: Array<Record<string, unknown> | null> }>(query, { representations }, headers);
      expect(body.errors).toBeUndefined();
      resolved = body.data?._entities.filter(Boolean).length ?? 0;
    });

    expect(resolved).toBe(count);
    // One batched statement per entity type, plus the viewer's roles (user with memberships, one statement
    // with relation joins) and the memberships of the users, for the visibility check.
    expect(statements).toHaveLength(6);
  });
});
