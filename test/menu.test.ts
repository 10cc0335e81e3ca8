import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { countStatements, errorCode, type Json, startTestServer, type TestServer } from './testkit/test-server.js';

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

  it('shows switched-off items only to whom menuItems shows them: the same rule on both paths', async () => {
    const prisma = server.infra.db.prisma;
    const { restaurant } = await aRestaurant(prisma).withCategory('Drinks', 4, { unavailable: 2 }).build();
    const staff = await server.loginAs((await aUser(prisma).memberOf(restaurant.id, 'STAFF').build()).email);
    const outsider = await server.loginAs((await aUser(prisma).build()).email);
    const menuItemsQuery = 'query($id: ID!) { menuItems(restaurantId: $id) { available } }';
    const viaMenu = (headers?: Record<string, string>) =>
      server.graphql<MenuData>(menuQuery, { slug: restaurant.slug, all: true }, headers);
    const viaMenuItems = (headers?: Record<string, string>) => server.graphql<Json>(menuItemsQuery, { id: restaurant.id }, headers);

    for (const [who, headers, code] of [
      ['anonymous', undefined, 'UNAUTHENTICATED'],
      ['a user of another restaurant', outsider, 'FORBIDDEN'],
    ] as const) {
      const [menu, items] = await Promise.all([viaMenu(headers), viaMenuItems(headers)]);
      expect({ who, menu: errorCode(menu.body), items: errorCode(items.body) }).toEqual({ who, menu: code, items: code });
      expect(JSON.stringify(menu.body.data ?? null)).not.toContain('"available":false');
    }

    const [menu, items] = await Promise.all([viaMenu(staff), viaMenuItems(staff)]);
    expect(menu.body.data?.restaurant?.menu[0]?.items.map((item) => item.available)).toEqual([false, false, true, true]);
    expect(items.body.data.menuItems.map((item: { available: boolean }) => item.available)).toEqual([false, false, true, true]);
    // A staff member's full menu is theirs alone: never a shared (public) cache entry.
    expect(menu.headers.get('cache-control')).not.toMatch(/public/);
    const again = await viaMenu(outsider);
    expect(errorCode(again.body)).toBe('FORBIDDEN');
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
