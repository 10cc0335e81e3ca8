import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRestaurant } from './testkit/seed-builder.js';
import { countStatements, startTestServer, type TestServer } from './testkit/test-server.js';

const menuQuery = /* GraphQL */ `
  query Menu($slug: String!, $all: Boolean) {
    restaurant(slug: $slug) {
      id
      name
      currency
      menu {
        id
        name
        items(includeUnavailable: $all) {
          id
          name
          description
          price { amount currency }
          available
        }
      }
    }
  }
`;

interface MenuData {
  restaurant: {
    id: string;
    name: string;
    currency: string;
    menu: Array<{
      id: string;
      name: string;
      items: Array<{ id: string; name: string; price: { amount: number; currency: string }; available: boolean }>;
    }>;
  } | null;
}

describe('public menu', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('returns categories in order with only available items, prices in minor units', async () => {
    const { restaurant, categories } = await aRestaurant(server.infra.db.prisma)
      .withCategory('Starters', 3, { unavailable: 1 })
      .withCategory('Mains', 2)
      .build();

    const { status, body } = await server.graphql<MenuData>(menuQuery, { slug: restaurant.slug });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.restaurant).toMatchObject({ id: restaurant.id, name: restaurant.name, currency: 'EUR' });
    const menu = body.data?.restaurant?.menu ?? [];
    expect(menu.map((category) => category.name)).toEqual(['Starters', 'Mains']);
    expect(menu[0]?.items.map((item) => item.id)).toEqual(categories[0]?.items.slice(1).map((item) => item.id));
    expect(menu[0]?.items[0]).toMatchObject({ available: true, price: { amount: 501, currency: 'EUR' } });
    expect(menu[1]?.items).toHaveLength(2);
  });

  it('lists unavailable items too when asked', async () => {
    const { restaurant } = await aRestaurant(server.infra.db.prisma).withCategory('Drinks', 4, { unavailable: 2 }).build();

    const { body } = await server.graphql<MenuData>(menuQuery, { slug: restaurant.slug, all: true });

    expect(body.data?.restaurant?.menu[0]?.items.map((item) => item.available)).toEqual([false, false, true, true]);
  });

  it('answers null for an unknown slug', async () => {
    const { body } = await server.graphql<MenuData>(menuQuery, { slug: 'no-such-restaurant' });

    expect(body.errors).toBeUndefined();
    expect(body.data?.restaurant).toBeNull();
  });

  it.each([
    { categories: 1, itemsPerCategory: 1 },
    { categories: 4, itemsPerCategory: 10 },
  ])(
    'issues one SQL statement per level for $categories categories of $itemsPerCategory items',
    async ({ categories, itemsPerCategory }) => {
      const builder = aRestaurant(server.infra.db.prisma);
      for (let index = 0; index < categories; index++) builder.withCategory(`Category ${index}`, itemsPerCategory);
      const { restaurant } = await builder.build();

      let items = 0;
      const statements = await countStatements(server, async () => {
        const { body } = await server.graphql<MenuData>(menuQuery, { slug: restaurant.slug });
        items = body.data?.restaurant?.menu.reduce((sum, category) => sum + category.items.length, 0) ?? 0;
      });

      expect(items).toBe(categories * itemsPerCategory);
      // restaurant by slug, its categories, the items of all categories.
      expect(statements).toHaveLength(3);
      expect(statements[0]).toContain('"Restaurant"');
      expect(statements[1]).toContain('"MenuCategory"');
      expect(statements[2]).toContain('"MenuItem"');
    },
  );

  it('resolves each menu item back to its category through one batched query', async () => {
    const { restaurant } = await aRestaurant(server.infra.db.prisma).withCategory('A', 3).withCategory('B', 3).build();
    const query = `query($slug: String!) { restaurant(slug: $slug) { menu { items { category { name } } } } }`;

    const statements = await countStatements(server, async () => {
      const { body } = await server.graphql<{ restaurant: { menu: Array<{ items: Array<{ category: { name: string } }> }> } }>(query, {
        slug: restaurant.slug,
      });
      expect(body.data?.restaurant.menu.flatMap((category) => category.items.map((item) => item.category.name))).toEqual([
        'A',
        'A',
        'A',
        'B',
        'B',
        'B',
      ]);
    });

    expect(statements).toHaveLength(4);
  });
});
