import { createHash } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRestaurant } from './testkit/seed-builder.js';
import { type GraphQLResponse, readJson, startTestServer, type TestServer } from './testkit/test-server.js';

/** Rate limits out of the way: this suite sends many anonymous requests from one address. */
const generousRateLimits = { RATE_LIMIT_API: '10000/60', RATE_LIMIT_ANONYMOUS_HTTP: '10000/60' };

/** `restaurant { menu { items { category { items … { id } } } } }`, `levels` object fields deep. */
function nestedMenuQuery(levels: number): string {
  const fields = [
    'restaurant(slug: "x")',
    'menu',
    ...Array.from({ length: levels - 2 }, (_, index) => (index % 2 === 0 ? 'items' : 'category')),
  ];
  return `{ ${fields.join(' { ')} { id ${'} '.repeat(levels)}}`;
}

const aliases = (count: number, field = 'apiVersion') => Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ');

function expectRejected(response: GraphQLResponse, code: string, measured: number, limit: number) {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  const error = response.body.errors?.[0];
  expect(error?.extensions).toMatchObject({ code, measured, limit });
  expect(error?.extensions?.stacktrace).toBeUndefined();
  expect(error?.extensions?.http).toBeUndefined();
  expect(error?.message).toContain(String(limit));
  return error;
}

describe('query limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(generousRateLimits);
  });
  afterAll(() => server?.close());

  it('answers a normal query with its cost in extensions.cost', async () => {
    const { status, body } = await server.graphql('{ apiVersion }');

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect((body as { extensions?: unknown }).extensions).toEqual({ cost: { requestedQueryCost: 1, maximumAvailable: 20_000 } });
  });

  it('admits the documented maximum page: orders(first: 100) with their lines and menu items', async () => {
    const query = `query($r: ID!) { orders(restaurantId: $r, first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { node {
      id status total { amount currency } items { name quantity lineTotal { amount currency } menuItem { id name } } } } } }`;
    const { status, body } = await server.graphql(query, { r: 'any' });

    // Past the cost limit, to authorisation (anonymous here), with a cost well above the old default of 5,000.
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const cost = (body as { extensions?: { cost?: { requestedQueryCost: number; maximumAvailable: number } } }).extensions?.cost;
    expect(cost?.requestedQueryCost).toBeGreaterThan(5_000);
    expect(cost?.requestedQueryCost).toBeLessThanOrEqual(cost?.maximumAvailable ?? 0);
  });

  it('charges lists by their assumed size', async () => {
    const { restaurant } = await aRestaurant(server.infra.db.prisma).withCategory('Mains', 3).build();
    const { status, body } = await server.graphql<never>(
      'query ($slug: String!) { restaurant(slug: $slug) { id menu { id items { id } } } }',
      {
        slug: restaurant.slug,
      },
    );

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const cost = (body as { extensions?: { cost?: { requestedQueryCost: number } } }).extensions?.cost;
    // restaurant + id + menu × (id + items × id), with no @cost: 10 categories and 10 items assumed.
    expect(cost?.requestedQueryCost).toBe(1 + 1 + (1 + 10 * (1 + (1 + 10 * 1))));
  });

  it('rejects a query 50 levels deep with DEPTH_LIMIT_EXCEEDED', async () => {
    const response = await server.graphql(nestedMenuQuery(50));

    const error = expectRejected(response, 'DEPTH_LIMIT_EXCEEDED', 50, 10);
    expect(error?.message).toBe('Query depth 50 exceeds the maximum of 10.');
    expect(error?.extensions?.requestId).toEqual(expect.any(String));
  });

  it.each([
    [
      'a fragment cycle',
      '{ restaurant(slug: "x") { ...A } } fragment A on Restaurant { menu { ...B } } fragment B on MenuCategory { items { category { ...B } } }',
    ],
    ['a fragment spreading itself', '{ restaurant(slug: "x") { ...A } } fragment A on Restaurant { id ...A }'],
    ['an unknown fragment', '{ restaurant(slug: "x") { ...Missing } }'],
  ])('answers %s with GRAPHQL_VALIDATION_FAILED, then keeps answering', async (_case, query) => {
    const { status, body } = await server.graphql(query);

    expect(status).toBe(400);
    expect(body.errors?.length).toBeGreaterThan(0);
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(body.errors?.map(() => 'GRAPHQL_VALIDATION_FAILED'));
    expect((await server.graphql('{ apiVersion }')).status).toBe(200);
  });

  it('rejects 10,000 aliases by the size of the document, before parsing it', async () => {
    const query = `{ restaurant(slug: "x") { ${aliases(10_000, 'id')} } }`;
    const response = await server.graphql(query);

    const error = expectRejected(response, 'DOCUMENT_TOO_LARGE', Buffer.byteLength(query), 32_768);
    expect(error?.extensions?.requestId).toEqual(expect.any(String));
  });

  it('rejects an oversized document sent for registration as a persisted query, without registering it', async () => {
    const query = `# ${'x'.repeat(40_000)}\n{ apiVersion }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const send = (body: Record<string, unknown>) =>
      fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const extensions = { persistedQuery: { version: 1, sha256Hash } };

    const response = await send({ query, extensions });
    const body = await readJson(response);
    expectRejected({ status: response.status, headers: response.headers, body }, 'DOCUMENT_TOO_LARGE', Buffer.byteLength(query), 32_768);

    const byHash = await readJson(await send({ extensions }));
    expect(byHash.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('rejects more than 30 aliases with ALIAS_LIMIT_EXCEEDED', async () => {
    const response = await server.graphql(`{ restaurant(slug: "x") { ${aliases(31, 'id')} } }`);

    expectRejected(response, 'ALIAS_LIMIT_EXCEEDED', 31, 30);
  });

  it('rejects more than 5,000 tokens with TOKEN_LIMIT_EXCEEDED, counting no further than 5,001', async () => {
    const response = await server.graphql(`{ restaurant(slug: "x") { ${'id '.repeat(6_000)}} }`);

    const error = expectRejected(response, 'TOKEN_LIMIT_EXCEEDED', 5_001, 5_000);
    expect(error?.message).toBe('Query has more than the maximum of 5000 tokens (counting stopped at 5001).');
  });

  it('rejects more than 10 root fields with ROOT_FIELD_LIMIT_EXCEEDED', async () => {
    const response = await server.graphql(`{ ${aliases(11)} }`);

    expectRejected(response, 'ROOT_FIELD_LIMIT_EXCEEDED', 11, 10);
  });

  it('rejects more than 50 directives with DIRECTIVE_LIMIT_EXCEEDED', async () => {
    const response = await server.graphql(`{ ${'apiVersion @include(if: true) '.repeat(51)}}`);

    expectRejected(response, 'DIRECTIVE_LIMIT_EXCEEDED', 51, 50);
  });

  it('rejects a document over 32 KiB with DOCUMENT_TOO_LARGE, comments included', async () => {
    const query = `# ${'x'.repeat(40_000)}\n{ apiVersion }`;
    const response = await server.graphql(query);

    expectRejected(response, 'DOCUMENT_TOO_LARGE', Buffer.byteLength(query), 32_768);
  });

  it('stops estimating fragments spread into fragments (2^40 selections) with COST_LIMIT_EXCEEDED', async () => {
    const fragments = Array.from({ length: 40 }, (_, index) => `fragment F${index} on Restaurant { ...F${index + 1} ...F${index + 1} }`);
    const query = `{ restaurant(slug: "x") { ...F0 } } ${fragments.join(' ')} fragment F40 on Restaurant { id }`;

    const error = expectRejected(await server.graphql(query), 'COST_LIMIT_EXCEEDED', 10_000, 20_000);
    expect(error?.message).toBe(
      'Query cost exceeds the maximum of 20000: the estimate was stopped after 10000 selections (fragments inlined).',
    );
  });

  it('rejects a page size over 100 with LIST_SIZE_LIMIT_EXCEEDED, before any resolver runs', async () => {
    const response = await server.graphql('query ($first: Int!) { menuItems(restaurantId: "r", first: $first) { id } }', { first: 500 });

    const error = expectRejected(response, 'LIST_SIZE_LIMIT_EXCEEDED', 500, 100);
    expect(error?.extensions?.field).toBe('Query.menuItems');
  });

  it('resolves 50 entity representations under the default limits', async () => {
    const { categories } = await aRestaurant(server.infra.db.prisma).withCategory('Mains', 50).build();
    const items = categories[0]?.items ?? [];
    const representations = items.map((item) => ({ __typename: 'MenuItem', id: item.id }));
    const query = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) { __typename ... on MenuItem { name price { amount } } }
    }`;

    const { status, body } = await server.graphql<{ _entities: Array<{ name: string }> }>(query, { representations });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?._entities.map((entity) => entity.name)).toEqual(items.map((item) => item.name));
    const cost = (body as { extensions?: { cost?: { requestedQueryCost: number } } }).extensions?.cost;
    // 50 × (name + price { amount }), plus _entities itself.
    expect(cost?.requestedQueryCost).toBe(1 + 50 * 3);
  });

  it('lets tools introspect the schema', async () => {
    const { status, body } = await server.graphql<{ __schema: { queryType: { name: string } } }>(getIntrospectionQuery());

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.__schema.queryType.name).toBe('Query');
  });

  it('is still ready after the battery', async () => {
    const response = await fetch(`${server.url}/health/ready`);

    expect(response.status).toBe(200);
    expect((await server.graphql('{ apiVersion }')).body.data).toEqual({ apiVersion: expect.any(String) });
  });
});

describe('query cost limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ...generousRateLimits, QUERY_MAX_COST: '5' });
  });
  afterAll(() => server?.close());

  it('rejects a query costing more than QUERY_MAX_COST with COST_LIMIT_EXCEEDED and its cost', async () => {
    const response = await server.graphql('{ restaurant(slug: "x") { id menu { id name } } }');

    const error = expectRejected(response, 'COST_LIMIT_EXCEEDED', 1 + 1 + (1 + 10 * 2), 5);
    expect(error?.message).toBe('Query cost 23 exceeds the maximum of 5.');
    expect((response.body as { extensions?: unknown }).extensions).toEqual({ cost: { requestedQueryCost: 23, maximumAvailable: 5 } });
  });

  it('runs a query within the limit', async () => {
    const { status, body } = await server.graphql('{ restaurant(slug: "x") { id } }');

    expect(status).toBe(200);
    expect(body.data).toEqual({ restaurant: null });
    expect((body as { extensions?: unknown }).extensions).toEqual({ cost: { requestedQueryCost: 2, maximumAvailable: 5 } });
  });
});
