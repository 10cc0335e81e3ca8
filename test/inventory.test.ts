import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestPath } from '../src/plugins/persisted-queries/paths.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { countStatements, errorCode, type Json, readJson, startTestServer, type TestServer } from './testkit/test-server.js';

/** The committed partner manifest (operations/partners/*.graphql): the operations partners really run. */
const partnerManifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { operations: Array<{ id: string; name: string }> };

const itemFields = 'id name unit quantity reorderThreshold low';
const createItem = `mutation($input: CreateInventoryItemInput!) { createInventoryItem(input: $input) { ${itemFields} } }`;
const updateItem = `mutation($id: ID!, $input: UpdateInventoryItemInput!) { updateInventoryItem(id: $id, input: $input) { ${itemFields} } }`;
const adjust = /* GraphQL */ `
  mutation Adjust($input: AdjustInventoryInput!) {
    adjustInventory(input: $input) {
      id delta quantityAfter reason note
      actor { email }
      inventoryItem { id quantity low }
    }
  }
`;
const history = `query($id: ID!, $first: Int!) { inventoryItem(id: $id) { quantity adjustments(first: $first) { delta quantityAfter reason note actor { email } } } }`;
const lowStock = `query($r: ID!) { lowStock(restaurantId: $r) { ${itemFields} } }`;

type Role = 'STAFF' | 'MANAGER' | 'OWNER';

describe('inventory', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  const prisma = () => server.infra.db.prisma;

  /** A restaurant with Flour in stock and a signed-in member with `role`. */
  async function setUp(options: { role?: Role; stock?: number; threshold?: number; allowNegative?: boolean } = {}) {
    const builder = aRestaurant(prisma()).withStock('Flour', options.stock ?? 10, { threshold: options.threshold ?? 2 });
    if (options.allowNegative) builder.allowingNegativeStock();
    const built = await builder.build();
    const user = await aUser(prisma())
      .memberOf(built.restaurant.id, options.role ?? 'MANAGER')
      .build();
    const flour = built.stock[0];
    if (!flour) throw new Error('no stock built');
    return { ...built, flour, user, headers: await server.loginAs(user.email) };
  }

  /** Another member of the same restaurant, signed in. */
  async function member(restaurantId: string, role: Role) {
    const user = await aUser(prisma()).memberOf(restaurantId, role).build();
    return { user, headers: await server.loginAs(user.email) };
  }

  const quantityOf = async (id: string) => (await prisma().inventoryItem.findUniqueOrThrow({ where: { id } })).quantity.toFixed();

  describe('items', () => {
    it.each<Role>(['MANAGER', 'OWNER'])(
      'lets a %s create an item with exact decimals; opening stock is an adjustment, all audited',
      async (role) => {
        const { restaurant, user, headers } = await setUp({ role });

        const { body } = await server.graphql<Json>(
          createItem,
          { input: { restaurantId: restaurant.id, name: ' <b>Oat</b> milk ', unit: 'l', quantity: '12.50', reorderThreshold: '0.1' } },
          headers,
        );

        expect(body.errors).toBeUndefined();
        const created = body.data.createInventoryItem;
        expect(created).toMatchObject({ name: 'Oat milk', unit: 'l', quantity: '12.5', reorderThreshold: '0.1', low: false });
        const adjustments = await prisma().inventoryAdjustment.findMany({ where: { inventoryItemId: created.id } });
        expect(adjustments.map((row) => [row.reason, row.delta.toFixed(), row.quantityAfter.toFixed(), row.actorId])).toEqual([
          ['RECEIVED', '12.5', '12.5', user.id],
        ]);
        const audit = await prisma().auditLog.findMany({ where: { entityId: created.id } });
        expect(audit).toMatchObject([
          { action: 'inventoryItem.create', actorId: user.id, restaurantId: restaurant.id, after: { quantity: '12.5', name: 'Oat milk' } },
        ]);
      },
    );

    it('refuses STAFF (FORBIDDEN), a taken name (CONFLICT) and bad fields (BAD_USER_INPUT with the path), writing nothing', async () => {
      const { restaurant, headers } = await setUp();
      const staff = await member(restaurant.id, 'STAFF');
      const input = { restaurantId: restaurant.id, name: 'Sugar', unit: 'kg', quantity: '1' };

      const asStaff = await server.graphql<Json>(createItem, { input }, staff.headers);
      const taken = await server.graphql<Json>(createItem, { input: { ...input, name: 'Flour' } }, headers);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ name: '<script>x</script>' }, 'input.name'],
        [{ unit: 'u'.repeat(21) }, 'input.unit'],
        [{ quantity: '-1' }, 'input.quantity'],
        [{ reorderThreshold: '1.2345' }, 'input.reorderThreshold'],
        [{ quantity: '1234567890' }, 'input.quantity'],
      ];
      const invalid = await Promise.all(
        cases.map(([override]) => server.graphql<Json>(createItem, { input: { ...input, ...override } }, headers)),
      );

      expect(errorCode(asStaff.body)).toBe('FORBIDDEN');
      expect(taken.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.name' });
      expect(invalid.map(({ body }) => body.errors?.[0]?.extensions)).toEqual(
        cases.map(([, field]) => expect.objectContaining({ code: 'BAD_USER_INPUT', field })),
      );
      expect(await prisma().inventoryItem.count({ where: { restaurantId: restaurant.id } })).toBe(1);
      expect(await prisma().auditLog.count({ where: { restaurantId: restaurant.id } })).toBe(0);
    });

    it('refuses floats and non-numbers for Decimal before anything runs', async () => {
      const { restaurant, headers } = await setUp();
      const input = { restaurantId: restaurant.id, name: 'Salt', unit: 'kg' };

      const float = await server.graphql<Json>(createItem, { input: { ...input, quantity: 0.1 } }, headers);
      const word = await server.graphql<Json>(createItem, { input: { ...input, quantity: 'lots' } }, headers);
      const integer = await server.graphql<Json>(createItem, { input: { ...input, quantity: 3 } }, headers);

      expect(errorCode(float.body)).toBe('BAD_USER_INPUT');
      expect(errorCode(word.body)).toBe('BAD_USER_INPUT');
      expect(integer.body.data.createInventoryItem.quantity).toBe('3');
    });

    it('updates name, unit and threshold but never the quantity, and audits before/after', async () => {
      const { restaurant, flour, headers } = await setUp({ stock: 10, threshold: 2 });

      const withQuantity = await server.graphql<Json>(updateItem, { id: flour.id, input: { quantity: '99' } }, headers);
      const renamed = await server.graphql<Json>(
        updateItem,
        { id: flour.id, input: { name: 'Flour T55', reorderThreshold: '3.5' } },
        headers,
      );
      const empty = await server.graphql<Json>(updateItem, { id: flour.id, input: {} }, headers);
      const nullName = await server.graphql<Json>(updateItem, { id: flour.id, input: { name: null } }, headers);

      expect(withQuantity.status).toBe(400);
      expect(errorCode(withQuantity.body)).toBe('BAD_USER_INPUT');
      expect(renamed.body.data.updateInventoryItem).toMatchObject({ name: 'Flour T55', quantity: '10', reorderThreshold: '3.5' });
      expect(empty.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
      expect(nullName.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
      expect(await quantityOf(flour.id)).toBe('10');
      expect(await prisma().inventoryAdjustment.count({ where: { inventoryItemId: flour.id } })).toBe(0);
      const audit = await prisma().auditLog.findMany({ where: { restaurantId: restaurant.id } });
      expect(audit).toMatchObject([
        {
          action: 'inventoryItem.update',
          entityId: flour.id,
          before: { name: 'Flour', reorderThreshold: '2', quantity: '10' },
          after: { name: 'Flour T55', reorderThreshold: '3.5', quantity: '10' },
        },
      ]);
    });

    it('hides updates from STAFF like an unknown item (the @auth rule for ids)', async () => {
      const { restaurant, flour } = await setUp();
      const staff = await member(restaurant.id, 'STAFF');

      const { body } = await server.graphql<Json>(updateItem, { id: flour.id, input: { name: 'Mine' } }, staff.headers);

      expect(errorCode(body)).toBe('NOT_FOUND');
      expect((await prisma().inventoryItem.findUniqueOrThrow({ where: { id: flour.id } })).name).toBe('Flour');
    });

    it('pages items by name with first/after, validating both', async () => {
      const { restaurant, headers } = await aRestaurant(prisma())
        .withStock('Basil', 1)
        .withStock('Apples', 1)
        .withStock('Cream', 1)
        .build()
        .then(async (built) => ({ ...built, headers: (await member(built.restaurant.id, 'STAFF')).headers }));
      const list =
        'query($r: ID!, $first: Int!, $after: ID) { inventoryItems(restaurantId: $r, first: $first, after: $after) { id name } }';

      const first = await server.graphql<Json>(list, { r: restaurant.id, first: 2 }, headers);
      const names = first.body.data.inventoryItems.map((item: Json) => item.name);
      const second = await server.graphql<Json>(list, { r: restaurant.id, first: 2, after: first.body.data.inventoryItems[1].id }, headers);
      const zero = await server.graphql<Json>(list, { r: restaurant.id, first: 0 }, headers);
      const foreignCursor = await server.graphql<Json>(list, { r: restaurant.id, first: 2, after: 'not-an-item' }, headers);

      expect(names).toEqual(['Apples', 'Basil']);
      expect(second.body.data.inventoryItems.map((item: Json) => item.name)).toEqual(['Cream']);
      expect(zero.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      expect(foreignCursor.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });
  });

  describe('adjustments', () => {
    it('lets STAFF record WASTE but not deliveries or counts (FORBIDDEN), writing nothing for the refusals', async () => {
      const { restaurant, flour } = await setUp({ stock: 10 });
      const staff = await member(restaurant.id, 'STAFF');

      const waste = await server.graphql<Json>(
        adjust,
        { input: { inventoryItemId: flour.id, reason: 'WASTE', delta: '-1.25', note: 'dropped <i>a bag</i>' } },
        staff.headers,
      );
      const received = await server.graphql<Json>(
        adjust,
        { input: { inventoryItemId: flour.id, reason: 'RECEIVED', delta: '5' } },
        staff.headers,
      );
      const count = await server.graphql<Json>(
        adjust,
        { input: { inventoryItemId: flour.id, reason: 'COUNT_CORRECTION', countedQuantity: '3' } },
        staff.headers,
      );

      expect(waste.body.data.adjustInventory).toMatchObject({
        delta: '-1.25',
        quantityAfter: '8.75',
        reason: 'WASTE',
        note: 'dropped a bag',
        actor: { email: staff.user.email },
        inventoryItem: { id: flour.id, quantity: '8.75' },
      });
      expect(errorCode(received.body)).toBe('FORBIDDEN');
      expect(errorCode(count.body)).toBe('FORBIDDEN');
      expect(await quantityOf(flour.id)).toBe('8.75');
      expect(await prisma().inventoryAdjustment.count({ where: { inventoryItemId: flour.id } })).toBe(1);
      expect(await prisma().auditLog.count({ where: { entityId: flour.id } })).toBe(1);
    });

    it.each<Role>(['MANAGER', 'OWNER'])(
      'lets a %s receive, waste and count; the count derives its delta; history newest first',
      async (role) => {
        const { flour, user, headers } = await setUp({ role, stock: 10 });
        const run = async (input: Record<string, unknown>) =>
          (await server.graphql<Json>(adjust, { input: { inventoryItemId: flour.id, ...input } }, headers)).body;

        const received = await run({ reason: 'RECEIVED', delta: '2.5', note: 'Delivery #42' });
        const wasted = await run({ reason: 'WASTE', delta: '-0.5' });
        const counted = await run({ reason: 'COUNT_CORRECTION', countedQuantity: '11.75' });
        const corrected = await run({ reason: 'COUNT_CORRECTION', delta: '-0.75' });

        expect([received, wasted, counted, corrected].map((body) => [body.errors, body.data.adjustInventory.delta])).toEqual([
          [undefined, '2.5'],
          [undefined, '-0.5'],
          [undefined, '-0.25'],
          [undefined, '-0.75'],
        ]);
        const { body } = await server.graphql<Json>(history, { id: flour.id, first: 3 }, headers);
        expect(body.data.inventoryItem.quantity).toBe('11');
        expect(body.data.inventoryItem.adjustments).toEqual([
          { delta: '-0.75', quantityAfter: '11', reason: 'COUNT_CORRECTION', note: null, actor: { email: user.email } },
          { delta: '-0.25', quantityAfter: '11.75', reason: 'COUNT_CORRECTION', note: null, actor: { email: user.email } },
          { delta: '-0.5', quantityAfter: '12', reason: 'WASTE', note: null, actor: { email: user.email } },
        ]);
        const audit = await prisma().auditLog.findMany({
          where: { entityId: flour.id, action: 'inventoryItem.adjust' },
          orderBy: { createdAt: 'asc' },
        });
        expect(audit.map((row) => [row.before, (row.after as Json).quantity, (row.after as Json).reason])).toEqual([
          [{ quantity: '10' }, '12.5', 'RECEIVED'],
          [{ quantity: '12.5' }, '12', 'WASTE'],
          [{ quantity: '12' }, '11.75', 'COUNT_CORRECTION'],
          [{ quantity: '11.75' }, '11', 'COUNT_CORRECTION'],
        ]);
      },
    );

    it.each([
      { case: 'a delivery taking stock out', input: { reason: 'RECEIVED', delta: '-1' }, field: 'input.delta' },
      { case: 'a delivery without delta', input: { reason: 'RECEIVED' }, field: 'input.delta' },
      { case: 'waste adding stock', input: { reason: 'WASTE', delta: '1' }, field: 'input.delta' },
      { case: 'a fourth decimal', input: { reason: 'WASTE', delta: '-0.0001' }, field: 'input.delta' },
      { case: 'a correction with neither delta nor count', input: { reason: 'COUNT_CORRECTION' }, field: 'input.delta' },
      { case: 'a correction of 0', input: { reason: 'COUNT_CORRECTION', delta: '0' }, field: 'input.delta' },
      { case: 'both delta and count', input: { reason: 'COUNT_CORRECTION', countedQuantity: '1', delta: '1' }, field: 'input.delta' },
      { case: 'a negative count', input: { reason: 'COUNT_CORRECTION', countedQuantity: '-1' }, field: 'input.countedQuantity' },
      { case: 'a count given as waste', input: { reason: 'WASTE', countedQuantity: '1' }, field: 'input.countedQuantity' },
      { case: 'a 501-character note', input: { reason: 'WASTE', delta: '-1', note: 'n'.repeat(501) }, field: 'input.note' },
    ])('refuses $case: BAD_USER_INPUT on $field, writing nothing', async ({ input, field }) => {
      const { flour, headers } = await setUp();

      const { body } = await server.graphql<Json>(adjust, { input: { inventoryItemId: flour.id, ...input } }, headers);

      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await prisma().inventoryAdjustment.count({ where: { inventoryItemId: flour.id } })).toBe(0);
    });

    it('refuses to take stock below zero (CONFLICT) unless the restaurant allows it', async () => {
      const strict = await setUp({ stock: 1 });
      const lenient = await setUp({ stock: 1, allowNegative: true });
      const waste = (flourId: string, delta: string, headers: Record<string, string>) =>
        server.graphql<Json>(adjust, { input: { inventoryItemId: flourId, reason: 'WASTE', delta } }, headers);

      const refused = await waste(strict.flour.id, '-1.001', strict.headers);
      const allowed = await waste(lenient.flour.id, '-3', lenient.headers);

      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', available: '1', needed: '1.001' });
      expect(await quantityOf(strict.flour.id)).toBe('1');
      expect(await prisma().inventoryAdjustment.count({ where: { inventoryItemId: strict.flour.id } })).toBe(0);
      expect(await prisma().auditLog.count({ where: { entityId: strict.flour.id } })).toBe(0);
      expect(allowed.body.data.adjustInventory).toMatchObject({ quantityAfter: '-2', inventoryItem: { quantity: '-2', low: true } });
    });

    it('never takes stock below zero under concurrent adjustments', async () => {
      const { restaurant, flour, headers } = await setUp({ stock: 3 });
      const staff = await member(restaurant.id, 'STAFF');

      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          server.graphql<Json>(
            adjust,
            { input: { inventoryItemId: flour.id, reason: 'WASTE', delta: '-1' } },
            index % 2 ? headers : staff.headers,
          ),
        ),
      );

      const codes = answers.map(({ body }) => errorCode(body) ?? 'OK').sort();
      expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'OK', 'OK', 'OK']);
      expect(await quantityOf(flour.id)).toBe('0');
      const rows = await prisma().inventoryAdjustment.findMany({
        where: { inventoryItemId: flour.id },
        orderBy: { quantityAfter: 'desc' },
      });
      expect(rows.map((row) => row.quantityAfter.toFixed())).toEqual(['2', '1', '0']);
    });

    it('publishes inventoryLow once per crossing: not while it stays low, again after a restock', async () => {
      const { flour, headers } = await setUp({ stock: 10, threshold: 5 });
      const abort = new AbortController();
      const seen: Json[] = [];
      const listening = (async () => {
        for await (const event of server.infra.events.subscribe('inventoryLow', { signal: abort.signal })) {
          if (event.inventoryItemId === flour.id) seen.push(event);
        }
      })();
      const step = async (input: Record<string, unknown>) => {
        const { body } = await server.graphql<Json>(adjust, { input: { inventoryItemId: flour.id, ...input } }, headers);
        expect(body.errors).toBeUndefined();
      };

      // Delivery may go through Redis: wait for each expected event, not for a fixed time. Events arrive
      // in order, so one published while the stock stayed low would show up before the next crossing's.
      await step({ reason: 'WASTE', delta: '-4' }); // 6: still above
      await step({ reason: 'WASTE', delta: '-1' }); // 5: at the threshold → crossing
      await expect.poll(() => seen.length).toBe(1);
      await step({ reason: 'WASTE', delta: '-2' }); // 3: still low
      await step({ reason: 'COUNT_CORRECTION', countedQuantity: '4' }); // 4: still low
      await step({ reason: 'RECEIVED', delta: '10' }); // 14: restocked
      await step({ reason: 'WASTE', delta: '-9.5' }); // 4.5: crossing again
      await expect.poll(() => seen.length).toBe(2);
      const refused = await server.graphql<Json>(adjust, { input: { inventoryItemId: flour.id, reason: 'WASTE', delta: '-100' } }, headers);
      const raised = await server.graphql<Json>(updateItem, { id: flour.id, input: { reorderThreshold: '1' } }, headers); // 4.5 > 1: no longer low
      await server.graphql<Json>(updateItem, { id: flour.id, input: { reorderThreshold: '4.5' } }, headers); // low again
      await expect.poll(() => seen.length).toBe(3);
      abort.abort();
      await listening;

      expect(errorCode(refused.body)).toBe('CONFLICT');
      expect(raised.body.data.updateInventoryItem.low).toBe(false);
      expect(seen).toHaveLength(3);
      expect(seen[0]).toEqual({ type: 'inventoryLow', restaurantId: flour.restaurantId, inventoryItemId: flour.id });
    });
  });

  describe('low stock', () => {
    it('lists items at or below their threshold by name, for every member role', async () => {
      const { restaurant } = await aRestaurant(prisma())
        .withStock('Yeast', 0.5, { threshold: 1 })
        .withStock('Butter', 2, { threshold: 2 })
        .withStock('Salt', 2.001, { threshold: 2 })
        .withStock('Eggs', 0, { threshold: 0 })
        .build();

      for (const role of ['STAFF', 'MANAGER', 'OWNER'] as const) {
        const { headers } = await member(restaurant.id, role);
        const { body } = await server.graphql<Json>(lowStock, { r: restaurant.id }, headers);
        expect(body.errors).toBeUndefined();
        expect(body.data.lowStock.map((item: Json) => [item.name, item.quantity, item.low])).toEqual([
          ['Butter', '2', true],
          ['Eggs', '0', true],
          ['Yeast', '0.5', true],
        ]);
      }
    });

    it('serves partner keys with "inventory:read" the committed PartnerLowStock and PartnerInventory, for their own restaurant only', async () => {
      const { restaurant, flour, headers } = await setUp({ role: 'OWNER', stock: 1, threshold: 2 });
      const other = await setUp({ role: 'OWNER' });
      const keyFor = async (restaurantId: string, scopes: string[], owner: Record<string, string>) => {
        const { body } = await server.graphql<Json>(
          'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
          { input: { restaurantId, partnerName: 'Supplier', scopes } },
          owner,
        );
        return body.data.createApiKey.secret as string;
      };
      const send = async (payload: Record<string, unknown>, secret: string) => {
        const response = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': server.clientIp, 'x-api-key': secret },
          body: JSON.stringify(payload),
        });
        return readJson(response);
      };
      const partner = (name: string, variables: Record<string, unknown>, secret: string) => {
        const id = partnerManifest.operations.find((operation) => operation.name === name)?.id;
        expect(id, `${name} is in the committed manifest`).toMatch(/^[0-9a-f]{64}$/);
        return send({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: id } } }, secret);
      };
      const reader = await keyFor(restaurant.id, ['INVENTORY_READ'], headers);
      const menuOnly = await keyFor(restaurant.id, ['MENU_READ'], headers);
      const elsewhere = await keyFor(other.restaurant.id, ['INVENTORY_READ'], other.headers);

      const low = await partner('PartnerLowStock', { restaurantId: restaurant.id }, reader);
      const all = await partner('PartnerInventory', { restaurantId: restaurant.id, first: 10 }, reader);
      const unscoped = await partner('PartnerLowStock', { restaurantId: restaurant.id }, menuOnly);
      const foreign = await partner('PartnerInventory', { restaurantId: restaurant.id, first: 10 }, elsewhere);
      const history = await send(
        { query: 'query($r: ID!) { lowStock(restaurantId: $r) { id adjustments(first: 5) { delta } } }', variables: { r: restaurant.id } },
        reader,
      );

      // Apollo's manifest generator adds __typename to every selection.
      const flourRow = { id: flour.id, name: 'Flour', unit: 'kg', quantity: '1', reorderThreshold: '2', __typename: 'InventoryItem' };
      expect(low.errors).toBeUndefined();
      expect(low.data.lowStock).toEqual([flourRow]);
      expect(all.errors).toBeUndefined();
      expect(all.data.inventoryItems).toEqual([{ ...flourRow, low: true }]);
      expect(errorCode(unscoped)).toBe('FORBIDDEN');
      expect(errorCode(foreign)).toBe('FORBIDDEN');
      // Stock history is in no partner operation, and a partner key runs nothing else.
      expect(errorCode(history)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    });
  });

  it('keeps inventory inside its restaurant: FORBIDDEN by restaurant, NOT_FOUND by id, nothing written', async () => {
    const { restaurant, flour } = await setUp({ stock: 10 });
    const outsider = await setUp({ role: 'OWNER' });
    const as = (query: string, variables: Record<string, unknown>) => server.graphql<Json>(query, variables, outsider.headers);

    const list = await as('query($r: ID!) { inventoryItems(restaurantId: $r) { id } }', { r: restaurant.id });
    const low = await as(lowStock, { r: restaurant.id });
    const byId = await as('query($id: ID!) { inventoryItem(id: $id) { id } }', { id: flour.id });
    const unknown = await as('query($id: ID!) { inventoryItem(id: $id) { id } }', { id: 'no-such-item' });
    const create = await as(createItem, { input: { restaurantId: restaurant.id, name: 'Planted', unit: 'kg' } });
    const update = await as(updateItem, { id: flour.id, input: { name: 'Stolen' } });
    const adjusted = await Promise.all(
      (['WASTE', 'RECEIVED'] as const).map((reason) =>
        as(adjust, { input: { inventoryItemId: flour.id, reason, delta: reason === 'WASTE' ? '-5' : '5' } }),
      ),
    );
    const entity = await as('query($r: [_Any!]!) { _entities(representations: $r) { ... on InventoryItem { name } } }', {
      r: [{ __typename: 'InventoryItem', id: flour.id }],
    });
    const anonymous = await server.graphql<Json>(lowStock, { r: restaurant.id });

    expect([list, low, create].map(({ body }) => errorCode(body))).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect([byId, update, ...adjusted].map(({ body }) => errorCode(body))).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    expect(byId.body.errors?.[0]?.message).toBe(unknown.body.errors?.[0]?.message.replace('no-such-item', flour.id));
    expect(errorCode(entity.body)).toBe('FORBIDDEN');
    expect(errorCode(anonymous.body)).toBe('UNAUTHENTICATED');
    expect(await prisma().inventoryItem.findUniqueOrThrow({ where: { id: flour.id } })).toMatchObject({ name: 'Flour' });
    expect(await quantityOf(flour.id)).toBe('10');
    expect(await prisma().inventoryItem.count({ where: { restaurantId: restaurant.id } })).toBe(1);
    expect(await prisma().inventoryAdjustment.count({ where: { restaurantId: restaurant.id } })).toBe(0);
    expect(await prisma().auditLog.count({ where: { restaurantId: restaurant.id } })).toBe(0);
  });

  it('publishes InventoryItem as a federation entity, resolved for members', async () => {
    const { flour, headers } = await setUp({ role: 'STAFF', stock: 1.5, threshold: 2 });
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on InventoryItem { name quantity low } } }';

    const sdl = await server.graphql<Json>('{ _service { sdl } }');
    const { body } = await server.graphql<Json>(query, { r: [{ __typename: 'InventoryItem', id: flour.id }] }, headers);

    expect(sdl.body.data._service.sdl).toMatch(/type InventoryItem\s+@key\(fields: "id"\)/);
    expect(body.data._entities).toEqual([{ name: 'Flour', quantity: '1.5', low: true }]);
  });

  it('resolves items → adjustments → actor in a constant number of statements', async () => {
    const { restaurant, headers } = await setUp({ stock: 100 });
    const stockIds = [];
    for (let index = 0; index < 4; index++) {
      const { body } = await server.graphql<Json>(
        createItem,
        { input: { restaurantId: restaurant.id, name: `Item ${index}`, unit: 'kg', quantity: '5' } },
        headers,
      );
      stockIds.push(body.data.createInventoryItem.id);
    }
    for (const id of stockIds) await server.graphql(adjust, { input: { inventoryItemId: id, reason: 'WASTE', delta: '-1' } }, headers);
    const query = `query($r: ID!) { inventoryItems(restaurantId: $r, first: 10) { name adjustments(first: 1) { delta actor { email } } } }`;

    let items: Json[] = [];
    const statements = await countStatements(server, async () => {
      const { body } = await server.graphql<Json>(query, { r: restaurant.id }, headers);
      expect(body.errors).toBeUndefined();
      items = body.data.inventoryItems;
    });

    expect(items).toHaveLength(5);
    expect(items.filter((item) => item.name.startsWith('Item')).map((item) => item.adjustments[0].delta)).toEqual(['-1', '-1', '-1', '-1']);
    // Items, newest adjustment ids, adjustment rows, actors; the viewer's roles come from the permission cache (warm).
    expect(statements).toHaveLength(4);
  });
});
