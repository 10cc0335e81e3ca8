import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { countStatements, errorCode, type Json, startTestServer, type TestServer } from './testkit/test-server.js';

const categoryFields = 'id name description sortOrder';
const itemFields = 'id name description price { amount currency } available sortOrder category { id }';
const m = {
  createCategory: `mutation($input: CreateMenuCategoryInput!) { createMenuCategory(input: $input) { ${categoryFields} } }`,
  updateCategory: `mutation($id: ID!, $input: UpdateMenuCategoryInput!) { updateMenuCategory(id: $id, input: $input) { ${categoryFields} } }`,
  deleteCategory: `mutation($id: ID!) { deleteMenuCategory(id: $id) { ${categoryFields} } }`,
  reorderCategories: `mutation($r: ID!, $ids: [ID!]!) { reorderMenuCategories(restaurantId: $r, categoryIds: $ids) { id sortOrder } }`,
  createItem: `mutation($input: CreateMenuItemInput!) { createMenuItem(input: $input) { ${itemFields} } }`,
  updateItem: `mutation($id: ID!, $input: UpdateMenuItemInput!) { updateMenuItem(id: $id, input: $input) { ${itemFields} } }`,
  deleteItem: `mutation($id: ID!) { deleteMenuItem(id: $id) { ${itemFields} } }`,
  availability: 'mutation($id: ID!, $available: Boolean!) { setMenuItemAvailability(id: $id, available: $available) { id available } }',
  reorderItems:
    'mutation($id: ID!, $ids: [ID!]!) { reorderMenuItems(id: $id, itemIds: $ids) { id items(includeUnavailable: true) { id } } }',
  recipe: `mutation($id: ID!, $lines: [MenuItemIngredientInput!]!) {
    setMenuItemRecipe(id: $id, ingredients: $lines) { id recipe { quantity inventoryItem { id name unit } } }
  }`,
};
const publicMenu = 'query($slug: String!) { restaurant(slug: $slug) { menu { name items { id name available price { amount } } } } }';

type Role = 'STAFF' | 'MANAGER' | 'OWNER';

describe('menu management', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  const prisma = () => server.infra.db.prisma;

  /** A restaurant with stock, a "Mains" category of three items (the first unavailable), an empty "Desserts", and a member. */
  async function setUp(role: Role = 'MANAGER') {
    const built = await aRestaurant(prisma())
      .withStock('Flour', 10)
      .withStock('Sugar', 5, { unit: 'kg' })
      .withCategory('Mains', 3, { unavailable: 1 })
      .withCategory('Desserts', 0)
      .build();
    const [mains, desserts] = built.categories;
    const [flour, sugar] = built.stock;
    if (!mains || !desserts || !flour || !sugar) throw new Error('seed incomplete');
    const user = await aUser(prisma()).memberOf(built.restaurant.id, role).build();
    return { ...built, mains, desserts, flour, sugar, items: mains.items, user, headers: await server.loginAs(user.email) };
  }

  async function member(restaurantId: string, role: Role) {
    const user = await aUser(prisma()).memberOf(restaurantId, role).build();
    return { user, headers: await server.loginAs(user.email) };
  }

  const auditOf = (entityId: string) => prisma().auditLog.findMany({ where: { entityId }, orderBy: { createdAt: 'asc' } });

  describe('categories', () => {
    it.each<Role>(['MANAGER', 'OWNER'])('lets a %s create, update and delete a category, each audited', async (role) => {
      const { restaurant, user, headers } = await setUp(role);

      const created = await server.graphql<Json>(
        m.createCategory,
        { input: { restaurantId: restaurant.id, name: ' <em>Drinks</em> ', description: 'Cold <script>alert(1)</script>and hot' } },
        headers,
      );
      const { id } = created.body.data.createMenuCategory;
      const updated = await server.graphql<Json>(m.updateCategory, { id, input: { name: 'Beverages', description: null } }, headers);
      const deleted = await server.graphql<Json>(m.deleteCategory, { id }, headers);

      expect(created.body.data.createMenuCategory).toMatchObject({ name: 'Drinks', description: 'Cold and hot', sortOrder: 2 });
      expect(updated.body.data.updateMenuCategory).toMatchObject({ name: 'Beverages', description: null, sortOrder: 2 });
      expect(deleted.body.data.deleteMenuCategory).toMatchObject({ id, name: 'Beverages' });
      expect(await prisma().menuCategory.findUnique({ where: { id } })).toBeNull();
      expect(await auditOf(id)).toMatchObject([
        { action: 'menuCategory.create', actorId: user.id, restaurantId: restaurant.id, after: { name: 'Drinks' } },
        {
          action: 'menuCategory.update',
          before: { name: 'Drinks', description: 'Cold and hot' },
          after: { name: 'Beverages', description: null },
        },
        { action: 'menuCategory.delete', before: { name: 'Beverages' } },
      ]);
    });

    it('refuses to delete a category that has items, even unavailable ones (CONFLICT), and taken names', async () => {
      const { restaurant, mains, desserts, headers } = await setUp();
      await prisma().menuItem.updateMany({ where: { categoryId: mains.category.id }, data: { available: false } });

      const withItems = await server.graphql<Json>(m.deleteCategory, { id: mains.category.id }, headers);
      const taken = await server.graphql<Json>(m.createCategory, { input: { restaurantId: restaurant.id, name: 'Mains' } }, headers);
      const renamed = await server.graphql<Json>(m.updateCategory, { id: desserts.category.id, input: { name: 'Mains' } }, headers);

      expect(withItems.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', items: 3 });
      expect(taken.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.name' });
      expect(errorCode(renamed.body)).toBe('CONFLICT');
      expect(await prisma().menuCategory.count({ where: { restaurantId: restaurant.id } })).toBe(2);
      expect(await prisma().auditLog.count({ where: { restaurantId: restaurant.id } })).toBe(0);
    });

    it('reorders categories, naming each exactly once', async () => {
      const { restaurant, slug, mains, desserts, headers } = await setUp().then((built) => ({ ...built, slug: built.restaurant.slug }));

      const reordered = await server.graphql<Json>(
        m.reorderCategories,
        { r: restaurant.id, ids: [desserts.category.id, mains.category.id] },
        headers,
      );
      const missing = await server.graphql<Json>(m.reorderCategories, { r: restaurant.id, ids: [desserts.category.id] }, headers);
      const repeated = await server.graphql<Json>(
        m.reorderCategories,
        { r: restaurant.id, ids: [desserts.category.id, desserts.category.id] },
        headers,
      );

      expect(reordered.body.data.reorderMenuCategories).toEqual([
        { id: desserts.category.id, sortOrder: 0 },
        { id: mains.category.id, sortOrder: 1 },
      ]);
      expect(missing.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'categoryIds' });
      expect(repeated.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'categoryIds.1' });
      const { body } = await server.graphql<Json>(publicMenu, { slug });
      expect(body.data.restaurant.menu.map((category: Json) => category.name)).toEqual(['Desserts', 'Mains']);
    });
  });

  describe('items', () => {
    it.each<Role>(['MANAGER', 'OWNER'])('lets a %s create, update and delete items in the restaurant currency', async (role) => {
      const { restaurant, mains, desserts, headers } = await setUp(role);

      const created = await server.graphql<Json>(
        m.createItem,
        { input: { restaurantId: restaurant.id, categoryId: mains.category.id, name: 'Soup <b>du jour</b>', priceAmount: 0 } },
        headers,
      );
      const item = created.body.data.createMenuItem;
      const moved = await server.graphql<Json>(
        m.updateItem,
        { id: item.id, input: { categoryId: desserts.category.id, description: 'Ask the waiter', sortOrder: 7 } },
        headers,
      );
      const deleted = await server.graphql<Json>(m.deleteItem, { id: item.id }, headers);

      expect(item).toMatchObject({
        name: 'Soup du jour',
        description: null,
        price: { amount: 0, currency: 'EUR' },
        available: true,
        sortOrder: 3,
      });
      expect(moved.body.data.updateMenuItem).toMatchObject({
        category: { id: desserts.category.id },
        description: 'Ask the waiter',
        sortOrder: 7,
      });
      expect(deleted.body.data.deleteMenuItem).toMatchObject({ id: item.id, name: 'Soup du jour' });
      expect(await prisma().menuItem.findUnique({ where: { id: item.id } })).toBeNull();
      expect((await auditOf(item.id)).map((row) => row.action)).toEqual(['menuItem.create', 'menuItem.update', 'menuItem.delete']);
    });

    it('deletes an item that was ordered: its recipe goes, the order keeps its line', async () => {
      const { restaurant, items, flour, headers } = await setUp();
      const item = items[1] as { id: string; name: string };
      await server.graphql(m.recipe, { id: item.id, lines: [{ inventoryItemId: flour.id, quantity: '0.5' }] }, headers);
      const order = await server.graphql<Json>(
        'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
        { input: { restaurantId: restaurant.id, idempotencyKey: 'before-delete', items: [{ menuItemId: item.id, quantity: 1 }] } },
        headers,
      );

      const deleted = await server.graphql<Json>(m.deleteItem, { id: item.id }, headers);

      expect(deleted.body.data.deleteMenuItem).toMatchObject({ id: item.id, name: item.name });
      const lines = await prisma().orderItem.findMany({ where: { orderId: order.body.data.createOrder.id } });
      expect(lines.map((line) => [line.name, line.menuItemId])).toEqual([[item.name, null]]);
      expect(await prisma().menuItemIngredient.count({ where: { menuItemId: item.id } })).toBe(0);
      expect(await auditOf(item.id)).toMatchObject([
        { action: 'menuItem.recipe' },
        { action: 'menuItem.delete', before: { name: item.name, priceAmount: 501, currency: 'EUR' } },
      ]);
    });

    it('audits a price change with the price before and after', async () => {
      const { items, user, headers } = await setUp();
      const item = items[1] as { id: string; priceAmount: number };

      const { body } = await server.graphql<Json>(m.updateItem, { id: item.id, input: { priceAmount: 1250, name: 'Special' } }, headers);

      expect(body.data.updateMenuItem.price).toEqual({ amount: 1250, currency: 'EUR' });
      expect(await auditOf(item.id)).toMatchObject([
        {
          action: 'menuItem.update',
          entityType: 'MenuItem',
          actorId: user.id,
          before: { priceAmount: item.priceAmount, currency: 'EUR' },
          after: { priceAmount: 1250, currency: 'EUR', name: 'Special' },
        },
      ]);
    });

    it.each([
      { case: 'a negative price', input: { priceAmount: -1 }, field: 'input.priceAmount' },
      { case: 'a price past the maximum', input: { priceAmount: 10_000_001 }, field: 'input.priceAmount' },
      { case: 'an empty name', input: { name: '   ' }, field: 'input.name' },
      { case: 'a name that is only markup', input: { name: '<img src=x onerror=alert(1)>' }, field: 'input.name' },
      { case: 'a 501-character description', input: { description: 'd'.repeat(501) }, field: 'input.description' },
      { case: 'a negative sort order', input: { sortOrder: -1 }, field: 'input.sortOrder' },
    ])('refuses $case on create and update: BAD_USER_INPUT on $field', async ({ input, field }) => {
      const { restaurant, mains, items, headers } = await setUp();
      const base = { restaurantId: restaurant.id, categoryId: mains.category.id, name: 'New', priceAmount: 100 };

      const create = await server.graphql<Json>(m.createItem, { input: { ...base, ...input } }, headers);
      const update = await server.graphql<Json>(m.updateItem, { id: items[1]?.id, input }, headers);

      expect(create.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(update.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await prisma().menuItem.count({ where: { restaurantId: restaurant.id } })).toBe(3);
      expect(await prisma().auditLog.count({ where: { restaurantId: restaurant.id } })).toBe(0);
    });

    it('refuses an empty update, a null name, and another restaurant’s category', async () => {
      const { restaurant, items, headers } = await setUp();
      const other = await aRestaurant(prisma()).withCategory('Elsewhere', 1).build();
      const foreign = other.categories[0]?.category.id;

      const empty = await server.graphql<Json>(m.updateItem, { id: items[1]?.id, input: {} }, headers);
      const nullName = await server.graphql<Json>(m.updateItem, { id: items[1]?.id, input: { name: null } }, headers);
      const create = await server.graphql<Json>(
        m.createItem,
        { input: { restaurantId: restaurant.id, categoryId: foreign, name: 'Stray', priceAmount: 1 } },
        headers,
      );
      const move = await server.graphql<Json>(m.updateItem, { id: items[1]?.id, input: { categoryId: foreign } }, headers);

      expect(empty.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
      expect(nullName.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
      expect(create.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.categoryId' });
      expect(move.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.categoryId' });
      expect(await prisma().menuItem.count({ where: { categoryId: foreign } })).toBe(1);
    });

    it('keeps menu management from STAFF, writing nothing', async () => {
      const { restaurant, mains, items, flour, headers } = await setUp('STAFF');
      const item = items[1]?.id;
      const attempts = {
        createCategory: await server.graphql<Json>(m.createCategory, { input: { restaurantId: restaurant.id, name: 'X' } }, headers),
        updateCategory: await server.graphql<Json>(m.updateCategory, { id: mains.category.id, input: { name: 'X' } }, headers),
        reorderCategories: await server.graphql<Json>(m.reorderCategories, { r: restaurant.id, ids: [mains.category.id] }, headers),
        createItem: await server.graphql<Json>(
          m.createItem,
          { input: { restaurantId: restaurant.id, categoryId: mains.category.id, name: 'X', priceAmount: 1 } },
          headers,
        ),
        updateItem: await server.graphql<Json>(m.updateItem, { id: item, input: { priceAmount: 1 } }, headers),
        deleteItem: await server.graphql<Json>(m.deleteItem, { id: item }, headers),
        reorderItems: await server.graphql<Json>(m.reorderItems, { id: mains.category.id, ids: [item] }, headers),
        recipe: await server.graphql<Json>(m.recipe, { id: item, lines: [{ inventoryItemId: flour.id, quantity: '1' }] }, headers),
      };

      expect(Object.fromEntries(Object.entries(attempts).map(([name, { body }]) => [name, errorCode(body)]))).toEqual({
        // By restaurant: FORBIDDEN. By id: NOT_FOUND, as @auth answers for objects the viewer may not use.
        createCategory: 'FORBIDDEN',
        updateCategory: 'NOT_FOUND',
        reorderCategories: 'FORBIDDEN',
        createItem: 'FORBIDDEN',
        updateItem: 'NOT_FOUND',
        deleteItem: 'NOT_FOUND',
        reorderItems: 'NOT_FOUND',
        recipe: 'NOT_FOUND',
      });
      expect(await prisma().menuItem.count({ where: { restaurantId: restaurant.id } })).toBe(3);
      expect(await prisma().menuItemIngredient.count({ where: { menuItemId: item } })).toBe(0);
      expect(await prisma().auditLog.count({ where: { restaurantId: restaurant.id } })).toBe(0);
    });
  });

  describe('availability and order', () => {
    it.each<Role>(['STAFF', 'MANAGER', 'OWNER'])('lets a %s switch items on and off; the public menu follows at once', async (role) => {
      const { restaurant, items, user, headers } = await setUp(role);
      const [off, on] = items;
      if (!off || !on) throw new Error('seed incomplete');
      const visible = async () =>
        (await server.graphql<Json>(publicMenu, { slug: restaurant.slug })).body.data.restaurant.menu[0].items.map((item: Json) => item.id);
      const before = await visible();

      const soldOut = await server.graphql<Json>(m.availability, { id: on.id, available: false }, headers);
      const back = await server.graphql<Json>(m.availability, { id: off.id, available: true }, headers);

      expect(soldOut.body.data.setMenuItemAvailability).toEqual({ id: on.id, available: false });
      expect(back.body.data.setMenuItemAvailability).toEqual({ id: off.id, available: true });
      expect(before).toEqual([on.id, items[2]?.id]);
      expect(await visible()).toEqual([off.id, items[2]?.id]);
      expect(await auditOf(on.id)).toMatchObject([
        { action: 'menuItem.availability', actorId: user.id, before: { available: true }, after: { available: false } },
      ]);
    });

    it('reorders a category’s items (available or not), and the public menu follows', async () => {
      const { restaurant, mains, items, headers } = await setUp();
      const [a, b, c] = items.map((item) => item.id) as [string, string, string];

      const reordered = await server.graphql<Json>(m.reorderItems, { id: mains.category.id, ids: [c, a, b] }, headers);
      const stranger = await server.graphql<Json>(m.reorderItems, { id: mains.category.id, ids: [c, a, 'elsewhere'] }, headers);
      const partial = await server.graphql<Json>(m.reorderItems, { id: mains.category.id, ids: [c, a] }, headers);

      expect(reordered.body.data.reorderMenuItems.items.map((item: Json) => item.id)).toEqual([c, a, b]);
      expect(stranger.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'itemIds.2' });
      expect(partial.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'itemIds' });
      const { body } = await server.graphql<Json>(publicMenu, { slug: restaurant.slug });
      expect(body.data.restaurant.menu[0].items.map((item: Json) => item.id)).toEqual([c, b]); // a is unavailable
      expect(await auditOf(mains.category.id)).toMatchObject([{ action: 'menuCategory.reorderItems', after: { itemIds: [c, a, b] } }]);
    });
  });

  describe('recipes', () => {
    it('sets, reads (managers and owners) and clears a recipe; orders then take that stock', async () => {
      const { restaurant, items, flour, sugar, user, headers } = await setUp();
      const item = items[1] as { id: string };

      const set = await server.graphql<Json>(
        m.recipe,
        {
          id: item.id,
          lines: [
            { inventoryItemId: sugar.id, quantity: '0.05' },
            { inventoryItemId: flour.id, quantity: '0.25' },
          ],
        },
        headers,
      );
      const owner = await member(restaurant.id, 'OWNER');
      const read = await server.graphql<Json>(
        'query($r: ID!) { menuItems(restaurantId: $r, first: 10) { id recipe { quantity inventoryItem { name } } } }',
        { r: restaurant.id },
        owner.headers,
      );
      const order = await server.graphql<Json>(
        'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
        { input: { restaurantId: restaurant.id, idempotencyKey: 'recipe-order', items: [{ menuItemId: item.id, quantity: 4 }] } },
        headers,
      );

      expect(set.body.data.setMenuItemRecipe.recipe).toEqual([
        { quantity: '0.25', inventoryItem: { id: flour.id, name: 'Flour', unit: 'kg' } },
        { quantity: '0.05', inventoryItem: { id: sugar.id, name: 'Sugar', unit: 'kg' } },
      ]);
      expect(read.body.data.menuItems.find((row: Json) => row.id === item.id).recipe).toEqual([
        { quantity: '0.25', inventoryItem: { name: 'Flour' } },
        { quantity: '0.05', inventoryItem: { name: 'Sugar' } },
      ]);
      expect(order.body.errors).toBeUndefined();
      expect((await prisma().inventoryItem.findUniqueOrThrow({ where: { id: flour.id } })).quantity.toFixed()).toBe('9');
      expect((await prisma().inventoryItem.findUniqueOrThrow({ where: { id: sugar.id } })).quantity.toFixed()).toBe('4.8');

      const cleared = await server.graphql<Json>(m.recipe, { id: item.id, lines: [] }, headers);
      expect(cleared.body.data.setMenuItemRecipe.recipe).toEqual([]);
      expect(await auditOf(item.id)).toMatchObject([
        {
          action: 'menuItem.recipe',
          actorId: user.id,
          before: { ingredients: [] },
          after: {
            ingredients: [
              { inventoryItemId: sugar.id, quantity: '0.05' },
              { inventoryItemId: flour.id, quantity: '0.25' },
            ],
          },
        },
        { action: 'menuItem.recipe', after: { ingredients: [] } },
      ]);
    });

    it('hides recipes from STAFF (FORBIDDEN) and guests (UNAUTHENTICATED); the public menu is unaffected', async () => {
      const { restaurant, items, flour, headers } = await setUp();
      await server.graphql(m.recipe, { id: items[1]?.id, lines: [{ inventoryItemId: flour.id, quantity: '1' }] }, headers);
      const staff = await member(restaurant.id, 'STAFF');
      const query = 'query($r: ID!) { menuItems(restaurantId: $r, first: 10) { id recipe { quantity } } }';

      const asStaff = await server.graphql<Json>(query, { r: restaurant.id }, staff.headers);
      const guest = await server.graphql<Json>(
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on MenuItem { name recipe { quantity } } } }',
        { r: [{ __typename: 'MenuItem', id: items[1]?.id }] },
      );
      const plainMenu = await server.graphql<Json>(publicMenu, { slug: restaurant.slug });

      expect(errorCode(asStaff.body)).toBe('FORBIDDEN');
      expect(asStaff.body.data.menuItems.map((item: Json) => item.recipe)).toEqual([null, null, null]);
      expect(errorCode(guest.body)).toBe('UNAUTHENTICATED');
      expect(plainMenu.body.errors).toBeUndefined();
      expect(plainMenu.body.data.restaurant.menu[0].items).toHaveLength(2);
    });

    it.each([
      { case: 'a zero quantity', line: { quantity: '0' }, field: 'ingredients.1.quantity' },
      { case: 'a negative quantity', line: { quantity: '-0.5' }, field: 'ingredients.1.quantity' },
      { case: 'a fourth decimal', line: { quantity: '0.0005' }, field: 'ingredients.1.quantity' },
      { case: 'a repeated ingredient', line: { repeat: true }, field: 'ingredients.1.inventoryItemId' },
      { case: 'an unknown inventory item', line: { inventoryItemId: 'no-such-item' }, field: 'ingredients.1.inventoryItemId' },
      { case: "another restaurant's inventory item", line: { foreign: true }, field: 'ingredients.1.inventoryItemId' },
    ])('refuses $case: BAD_USER_INPUT on $field, keeping the recipe', async ({ line, field }) => {
      const { items, flour, sugar, headers } = await setUp();
      const other = await aRestaurant(prisma()).withStock('Saffron', 1).build();
      const item = items[1]?.id as string;
      await server.graphql(m.recipe, { id: item, lines: [{ inventoryItemId: flour.id, quantity: '1' }] }, headers);
      const second = {
        inventoryItemId: 'repeat' in line ? flour.id : 'foreign' in line ? other.stock[0]?.id : (line.inventoryItemId ?? sugar.id),
        quantity: line.quantity ?? '1',
      };

      const { body } = await server.graphql<Json>(
        m.recipe,
        { id: item, lines: [{ inventoryItemId: flour.id, quantity: '2' }, second] },
        headers,
      );

      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      const kept = await prisma().menuItemIngredient.findMany({ where: { menuItemId: item } });
      expect(kept.map((row) => [row.inventoryItemId, row.quantity.toFixed()])).toEqual([[flour.id, '1']]);
    });

    it('loads the recipes of a whole menu in one batched statement', async () => {
      const { restaurant } = await aRestaurant(prisma())
        .withStock('Flour', 10)
        .withStock('Milk', 10)
        .withCategory('Crepes', 12, {
          recipe: [
            ['Flour', 0.1],
            ['Milk', 0.2],
          ],
        })
        .build();
      const owner = await member(restaurant.id, 'OWNER');
      const query = 'query($r: ID!) { menuItems(restaurantId: $r, first: 20) { name recipe { quantity inventoryItem { name } } } }';

      let items: Json[] = [];
      const statements = await countStatements(server, async () => {
        const { body } = await server.graphql<Json>(query, { r: restaurant.id }, owner.headers);
        expect(body.errors).toBeUndefined();
        items = body.data.menuItems;
      });

      expect(items).toHaveLength(12);
      expect(items.every((item) => item.recipe.map((line: Json) => line.inventoryItem.name).join() === 'Flour,Milk')).toBe(true);
      // The viewer's user with memberships (one statement: relation joins), menu items, recipe lines, inventory items.
      expect(statements).toHaveLength(4);
    });
  });

  it('keeps each restaurant’s menu its own: FORBIDDEN by restaurant, NOT_FOUND by id, nothing written', async () => {
    const { restaurant, mains, desserts, items, flour } = await setUp();
    const outsider = await setUp('OWNER');
    const as = (query: string, variables: Record<string, unknown>) => server.graphql<Json>(query, variables, outsider.headers);
    const item = items[1]?.id;

    const byRestaurant = [
      await as(m.createCategory, { input: { restaurantId: restaurant.id, name: 'Planted' } }),
      await as(m.reorderCategories, { r: restaurant.id, ids: [desserts.category.id, mains.category.id] }),
      await as(m.createItem, { input: { restaurantId: restaurant.id, categoryId: mains.category.id, name: 'Planted', priceAmount: 1 } }),
    ];
    const byId = [
      await as(m.updateCategory, { id: mains.category.id, input: { name: 'Taken' } }),
      await as(m.deleteCategory, { id: desserts.category.id }),
      await as(m.updateItem, { id: item, input: { priceAmount: 1 } }),
      await as(m.deleteItem, { id: item }),
      await as(m.availability, { id: item, available: false }),
      await as(m.reorderItems, { id: mains.category.id, ids: items.map((row) => row.id) }),
      await as(m.recipe, { id: item, lines: [{ inventoryItemId: flour.id, quantity: '1' }] }),
    ];
    // Their own menu cannot reach into ours either.
    const intoOurs = [
      await as(m.createItem, {
        input: { restaurantId: outsider.restaurant.id, categoryId: mains.category.id, name: 'Stray', priceAmount: 1 },
      }),
      await as(m.recipe, { id: outsider.items[1]?.id, lines: [{ inventoryItemId: flour.id, quantity: '1' }] }),
    ];

    expect(byRestaurant.map(({ body }) => errorCode(body))).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(byId.map(({ body }) => errorCode(body))).toEqual(Array(7).fill('NOT_FOUND'));
    expect(intoOurs.map(({ body }) => body.errors?.[0]?.extensions?.field)).toEqual(['input.categoryId', 'ingredients.0.inventoryItemId']);
    const stored = await prisma().menuItem.findMany({ where: { restaurantId: restaurant.id }, orderBy: { sortOrder: 'asc' } });
    expect(stored.map((row) => [row.id, row.priceAmount, row.available])).toEqual(
      items.map((row) => [row.id, row.priceAmount, row.available]),
    );
    expect(await prisma().menuCategory.count({ where: { restaurantId: restaurant.id } })).toBe(2);
    expect(await prisma().menuItemIngredient.count({ where: { inventoryItemId: flour.id } })).toBe(0);
    expect(await prisma().auditLog.count({ where: { restaurantId: restaurant.id } })).toBe(0);
  });
});
