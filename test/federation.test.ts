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
    // One batched statement per entity type, plus the viewer's roles (user, memberships) and the
    // memberships of the users, for the visibility check.
    expect(statements).toHaveLength(7);
  });
});
