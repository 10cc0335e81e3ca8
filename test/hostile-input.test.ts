import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { errorCode, type Json, readJson, startTestServer, type TestServer } from './testkit/test-server.js';

/** `{"a":{"a":…"leaf"…}}` written out, since JSON.stringify itself would overflow the stack. */
const nestedJson = (depth: number) => `${'{"a":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;
/** The same as a GraphQL object literal. */
const nestedLiteral = (depth: number) => `${'{a:'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;
const cursorOf = (createdAt: string, id: string) => Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

describe('hostile input never becomes INTERNAL_SERVER_ERROR', () => {
  let server: TestServer;
  let slug: string;
  let restaurantId: string;
  let owner: { authorization: string };

  beforeAll(async () => {
    server = await startTestServer();
    const { restaurant } = await aRestaurant(server.infra.db.prisma).build();
    ({ slug, id: restaurantId } = restaurant);
    const user = await aUser(server.infra.db.prisma).memberOf(restaurant.id, 'OWNER').build();
    owner = await server.loginAs(user.email);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Sends a raw body to POST /graphql; returns the status and the first error's code. */
  async function post(body: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': server.clientIp, ...headers },
      body,
    });
    const json: Json = await readJson(response);
    return { status: response.status, code: errorCode(json), body: json };
  }

  it('refuses variables nested 100,000 deep with BAD_USER_INPUT', async () => {
    const query = 'query($slug: String!) { restaurant(slug: $slug) { id } }';
    const result = await post(`{"query":${JSON.stringify(query)},"variables":{"slug":"x","deep":${nestedJson(100_000)}}}`);
    expect(result).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
    expect(result.body.errors[0].message).toMatch(/nested/);
  });

  it('refuses a JSON argument nested 3,000 deep, inline or as a variable', async () => {
    const inline = `mutation { updateRestaurant(input: { restaurantId: "${restaurantId}", openingHours: ${nestedLiteral(3_000)} }) { id } }`;
    const literal = await post(JSON.stringify({ query: inline }), owner);
    expect(literal.status).toBe(400);
    expect(literal.code).toBe('TOKEN_LIMIT_EXCEEDED');

    const query = 'mutation($input: UpdateRestaurantInput!) { updateRestaurant(input: $input) { id } }';
    const variable = await post(
      `{"query":${JSON.stringify(query)},"variables":{"input":{"restaurantId":"${restaurantId}","openingHours":${nestedJson(3_000)}}}}`,
      owner,
    );
    expect(variable).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
  });

  it.each([
    { name: 'a NUL id', after: cursorOf('2026-01-01T00:00:00.000Z', 'a\u0000b') },
    { name: 'a date before PostgreSQL’s calendar', after: cursorOf('-271821-04-20T00:00:00.000Z', 'x') },
    { name: 'a day that does not exist', after: cursorOf('2026-02-30T00:00:00.000Z', 'x') },
  ])('refuses a cursor that decodes to $name, naming the argument', async ({ after }) => {
    const query = 'query($slug: String!, $after: String) { restaurant(slug: $slug) { orders(after: $after) { totalCount } } }';
    const { body } = await server.graphql<Json>(query, { slug, after }, owner);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it.each([
    ['no id', { __typename: 'Restaurant' }],
    ['an unknown __typename', { __typename: 'Spaceship', id: 'x' }],
    ['a numeric id', { __typename: 'Restaurant', id: 42 }],
    ['no __typename', { id: 'x' }],
  ])('refuses an _entities representation with %s', async (_name, representation) => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Restaurant { slug } } }';
    const { status, body } = await server.graphql<Json>(query, { r: [representation] });
    expect(status).toBeLessThan(500);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses an APQ whose hash does not match its query, and a subscription over POST', async () => {
    const apq = await post(
      JSON.stringify({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }),
    );
    expect(apq.status).toBe(400);
    expect(apq.code).not.toBe('INTERNAL_SERVER_ERROR');
    expect(apq.code).toBeDefined();

    const subscription = await post(JSON.stringify({ query: 'subscription { __typename }' }));
    expect(subscription.status).toBe(400);
    expect(subscription.code).toMatch(/^(OPERATION_NOT_SUPPORTED|GRAPHQL_VALIDATION_FAILED)$/);
  });

  it('refuses a mutation over GET with METHOD_NOT_ALLOWED', async () => {
    const query = encodeURIComponent('mutation { logout(refreshToken: "x") }');
    const response = await fetch(`${server.url}/graphql?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(405);
    expect(errorCode(await readJson(response))).toBe('METHOD_NOT_ALLOWED');
  });

  it('counted none of the above as an unexpected error', async () => {
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^servio_graphql_errors_total\{code="BAD_USER_INPUT"\} \d+$/m);
    expect(metrics).not.toMatch(/servio_graphql_errors_total\{code="INTERNAL_SERVER_ERROR"\}/);
  });
});
