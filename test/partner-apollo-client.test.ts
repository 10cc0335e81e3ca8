import { readdir, readFile } from 'node:fs/promises';
import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { createPersistedQueryManifestVerificationLink, generatePersistedQueryIdsFromManifest } from '@apollo/persisted-query-lists';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersistedQueryManifest } from '../src/plugins/persisted-queries/manifest.js';
import { manifestPath, partnerOperationsDir } from '../src/plugins/persisted-queries/paths.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type Json, startTestServer, type TestServer } from './testkit/test-server.js';

const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as PersistedQueryManifest;
// The partner's own copy of the operations, one per file, as an Apollo Client project keeps them.
const files = await readdir(partnerOperationsDir);
const sources = await Promise.all(files.map((file) => readFile(`${partnerOperationsDir}/${file}`, 'utf8')));
const fragments = sources.filter((source) => /^fragment /m.test(source)).join('\n');
const documentOf = (name: string) => {
  const source = sources.find((candidate) => new RegExp(`^(query|mutation) ${name}\\b`, 'm').test(candidate));
  if (!source) throw new Error(`no operation ${name} in ${partnerOperationsDir}`);
  return gql(source.includes('...') ? `${source}\n${fragments}` : source);
};

/** Apollo Client as a partner configures it: ids from the manifest, queries by GET, the key and the preflight header. */
function partnerClient(server: TestServer, apiKey: string, sent: Array<{ method: string; url: string; body: Json }>) {
  // The lists package types against Apollo Client's CommonJS build; the link is the same at run time.
  const verification = createPersistedQueryManifestVerificationLink({
    loadManifest: () => manifest,
    onVerificationFailed: (details) => {
      throw new Error(`operation not in the manifest: ${details.reason}`);
    },
  });
  const persisted = new PersistedQueryLink({
    ...generatePersistedQueryIdsFromManifest({ loadManifest: () => manifest }),
    useGETForHashedQueries: true,
  });
  const http = new HttpLink({
    uri: `${server.url}/graphql`,
    headers: { 'x-api-key': apiKey, 'apollo-require-preflight': 'true', 'x-forwarded-for': server.clientIp },
    fetch: async (url, init) => {
      sent.push({ method: init?.method ?? 'GET', url: String(url), body: init?.body ? JSON.parse(String(init.body)) : null });
      return fetch(url, init);
    },
  });
  return new ApolloClient({ link: ApolloLink.from([verification as unknown as ApolloLink, persisted, http]), cache: new InMemoryCache() });
}

describe("Apollo Client's persisted-query link with the partner manifest", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('runs partner queries by GET and mutations by POST, by id alone from the very first request', async () => {
    const prisma = server.infra.db.prisma;
    const { restaurant, categories } = await aRestaurant(prisma).withCategory('Mains', 2).withStock('Flour', 5, { threshold: 10 }).build();
    const owner = await aUser(prisma).memberOf(restaurant.id, 'OWNER').build();
    const created = await server.graphql<{ createApiKey: { secret: string } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      {
        input: {
          restaurantId: restaurant.id,
          partnerName: 'DeliveryCo',
          scopes: ['MENU_READ', 'ORDERS_READ', 'ORDERS_WRITE', 'INVENTORY_READ'],
        },
      },
      await server.loginAs(owner.email),
    );
    const sent: Array<{ method: string; url: string; body: Json }> = [];
    const client = partnerClient(server, created.body.data?.createApiKey.secret ?? '', sent);
    const restaurantId = restaurant.id;

    const placed = await client.mutate<Json>({
      mutation: documentOf('PartnerCreateOrder'),
      variables: { input: { restaurantId, idempotencyKey: 'apollo-1', items: [{ menuItemId: categories[0]?.items[0]?.id, quantity: 1 }] } },
    });
    const orderId = placed.data.createOrder.id;
    const confirmed = await client.mutate<Json>({
      mutation: documentOf('PartnerUpdateOrderStatus'),
      variables: { id: orderId, status: 'CONFIRMED' },
    });
    const query = async (name: string, variables: Record<string, unknown>) =>
      (await client.query<Json>({ query: documentOf(name), variables, fetchPolicy: 'network-only' })).data;

    expect(placed.data.createOrder).toMatchObject({ status: 'PENDING', idempotencyKey: 'apollo-1', __typename: 'Order' });
    expect(confirmed.data.updateOrderStatus.status).toBe('CONFIRMED');
    expect((await query('PartnerOrder', { id: orderId })).order.status).toBe('CONFIRMED');
    expect((await query('PartnerOrders', { restaurantId, first: 5 })).orders.totalCount).toBe(1);
    expect((await query('PartnerMenuItems', { restaurantId, first: 10 })).menuItems).toHaveLength(2);
    expect((await query('PartnerPublicMenu', { slug: restaurant.slug })).restaurant.name).toBe(restaurant.name);
    expect((await query('PartnerInventory', { restaurantId, first: 10 })).inventoryItems[0].name).toBe('Flour');
    expect((await query('PartnerLowStock', { restaurantId })).lowStock[0].name).toBe('Flour');

    // Every manifest operation ran, each in exactly one request carrying its id and never the document.
    expect(sent).toHaveLength(manifest.operations.length);
    for (const request of sent) {
      const url = new URL(request.url);
      const payload = request.method === 'GET' ? { extensions: JSON.parse(url.searchParams.get('extensions') ?? '{}') } : request.body;
      const id = payload.extensions.persistedQuery.sha256Hash;
      const entry = manifest.operations.find((operation) => operation.id === id);
      expect(entry, `manifest id ${id}`).toBeDefined();
      expect(request.method).toBe(entry?.type === 'query' ? 'GET' : 'POST');
      expect(url.searchParams.get('query') ?? payload.query).toBeFalsy();
    }
  });
});
