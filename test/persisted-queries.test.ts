import { readFile } from 'node:fs/promises';
import { generatePersistedQueryManifest } from '@apollo/generate-persisted-query-manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PersistedQueryManifest, sha256Hex } from '../src/plugins/persisted-queries/manifest.js';
import { manifestPath } from '../src/plugins/persisted-queries/paths.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { readJson, startTestServer, type TestServer } from './testkit/test-server.js';

const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as PersistedQueryManifest;
const operation = (name: string) => {
  const found = manifest.operations.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no ${name} in the manifest`);
  return found;
};

/** A request by id only, as a partner sends it. */
async function byId(server: TestServer, id: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': server.clientIp, ...headers },
    body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: id } } }),
  });
  return { status: response.status, body: await readJson(response) };
}

describe('persisted queries', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("the committed manifest is, byte for byte, what Apollo's generator makes of operations/partners", async () => {
    const config = JSON.parse(await readFile('persisted-query-manifest.config.json', 'utf8'));
    const rebuilt = await generatePersistedQueryManifest(config, 'persisted-query-manifest.config.json');

    // The CLI (npm run persisted:build) writes JSON.stringify(manifest, null, 2).
    expect(await readFile(manifestPath, 'utf8')).toBe(JSON.stringify(rebuilt, null, 2));
    expect(manifest.operations.map((entry) => entry.name)).toEqual([
      'PartnerCreateOrder',
      'PartnerInventory',
      'PartnerLowStock',
      'PartnerMenuItems',
      'PartnerOrder',
      'PartnerOrders',
      'PartnerPublicMenu',
      'PartnerUpdateOrderStatus',
    ]);
    expect(manifest.format).toBe('apollo-persisted-query-manifest');
    for (const entry of manifest.operations) expect(entry.id).toBe(sha256Hex(entry.body));
  });

  it('docs/partners.md lists every manifest operation with its id', async () => {
    const guide = await readFile('docs/partners.md', 'utf8');
    for (const entry of manifest.operations) expect(guide).toMatch(new RegExp(`\\| \`${entry.name}\`[^\\n]*\`${entry.id}\``));
  });

  it('registers an automatic persisted query, then runs it by hash alone', async () => {
    const query = `{ apiVersion __typename # ${Math.random()}\n}`;
    const hash = sha256Hex(query);
    const send = (body: Record<string, unknown>) =>
      fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
        readJson,
      );
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };

    expect((await send({ extensions })).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await send({ query, extensions })).data.apiVersion).toMatch(/^\d+\./);
    expect((await send({ extensions })).data.apiVersion).toMatch(/^\d+\./);
    if (server.infra.redis) {
      // The cache is Redis when configured: a second server sees the registration.
      const other = await startTestServer();
      try {
        const response = await fetch(`${other.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ extensions }),
        });
        expect((await readJson(response)).data.apiVersion).toMatch(/^\d+\./);
      } finally {
        await other.close();
      }
    }
  });

  it('partner API keys run manifest operations by id, and nothing else', async () => {
    const prisma = server.infra.db.prisma;
    const { restaurant } = await aRestaurant(prisma).withCategory('Mains', 3, { unavailable: 1 }).build();
    const owner = await aUser(prisma).memberOf(restaurant.id, 'OWNER').build();
    const created = await server.graphql<{ createApiKey: { secret: string } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { restaurantId: restaurant.id, partnerName: 'DeliveryCo', scopes: ['MENU_READ'] } },
      await server.loginAs(owner.email),
    );
    const key = { 'x-api-key': created.body.data?.createApiKey.secret ?? '' };

    const allowed = await byId(server, operation('PartnerMenuItems').id, { restaurantId: restaurant.id, first: 10 }, key);
    expect(allowed.status).toBe(200);
    expect(allowed.body.data.menuItems).toHaveLength(3);

    const sameTextInFull = await server.graphql(operation('PartnerMenuItems').body, { restaurantId: restaurant.id, first: 10 }, key);
    expect(sameTextInFull.body.errors).toBeUndefined();

    const adHoc = await server.graphql('query($r: ID!) { menuItems(restaurantId: $r, first: 5) { id } }', { r: restaurant.id }, key);
    expect(adHoc.status).toBe(400);
    expect(adHoc.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    expect(adHoc.body.data).toBeUndefined();

    const unknownId = await byId(server, sha256Hex('query Other { apiVersion }'), {}, key);
    expect(unknownId.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });

  it('lets a partner with orders scopes place, follow and list orders, recorded as the key in the audit log', async () => {
    const prisma = server.infra.db.prisma;
    const { restaurant, categories } = await aRestaurant(prisma).withCategory('Mains', 1).build();
    const owner = await aUser(prisma).memberOf(restaurant.id, 'OWNER').build();
    const ownerHeaders = await server.loginAs(owner.email);
    const createKey = async (scopes: string[]) =>
      (
        await server.graphql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
          'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }',
          { input: { restaurantId: restaurant.id, partnerName: 'DeliveryCo', scopes } },
          ownerHeaders,
        )
      ).body.data?.createApiKey;
    const writer = await createKey(['ORDERS_READ', 'ORDERS_WRITE']);
    const reader = await createKey(['ORDERS_READ']);
    const input = {
      restaurantId: restaurant.id,
      idempotencyKey: 'partner-1',
      items: [{ menuItemId: categories[0]?.items[0]?.id, quantity: 2 }],
    };

    const placed = await byId(server, operation('PartnerCreateOrder').id, { input }, { 'x-api-key': writer?.secret ?? '' });
    const refused = await byId(
      server,
      operation('PartnerCreateOrder').id,
      { input: { ...input, idempotencyKey: 'partner-2' } },
      { 'x-api-key': reader?.secret ?? '' },
    );
    const listed = await byId(
      server,
      operation('PartnerOrders').id,
      { restaurantId: restaurant.id, first: 10 },
      { 'x-api-key': reader?.secret ?? '' },
    );

    expect(placed.body.data.createOrder).toMatchObject({ status: 'PENDING', total: { amount: 1100, currency: 'EUR' } });
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(listed.body.data.orders.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([placed.body.data.createOrder.id]);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { entityId: placed.body.data.createOrder.id, action: 'order.create' } });
    expect(audit).toMatchObject({ actorId: null, actorApiKeyId: writer?.apiKey.id });
  });

  it('serves manifest operations by id to everyone', async () => {
    const { restaurant } = await aRestaurant(server.infra.db.prisma).withCategory('Mains', 2).build();

    const { body } = await byId(server, operation('PartnerPublicMenu').id, { slug: restaurant.slug });

    expect(body.data.restaurant.menu[0].items).toHaveLength(2);
  });
});

describe('PERSISTED_QUERIES_ONLY=true', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ PERSISTED_QUERIES_ONLY: 'true' });
  });
  afterAll(() => server?.close());

  it('rejects any document that is not in the manifest, for everyone', async () => {
    const { status, body } = await server.graphql('{ apiVersion }');

    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });

  it('still runs manifest operations', async () => {
    const { restaurant } = await aRestaurant(server.infra.db.prisma).withCategory('Mains', 1).build();

    const { body } = await byId(server, operation('PartnerPublicMenu').id, { slug: restaurant.slug });

    expect(body.data.restaurant.id).toBe(restaurant.id);
  });
});
