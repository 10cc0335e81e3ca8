import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from './testkit/needs.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type Json, readJson, startTestServer, type TestServer, testPassword } from './testkit/test-server.js';

/** A client address of its own (documentation range), so each test starts with a fresh budget. */
function anotherClientIp(): string {
  return `2001:db8:${randomBytes(2).toString('hex')}::${randomBytes(2).toString('hex')}`;
}

const loginMutation = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }';

function login(server: TestServer, email: string, password: string, clientIp: string) {
  return server.graphql<{ login: { accessToken: string } }>(loginMutation, { email, password }, { 'x-forwarded-for': clientIp });
}

/** The `@rateLimit` tiers, counted per caller: the user when signed in, else the client address. */
describe('GraphQL rate-limit tiers', () => {
  const tiers = { RATE_LIMIT_AUTH: '3/900', RATE_LIMIT_API: '3/60' };
  let server: TestServer;
  let restaurantId: string;
  beforeAll(async () => {
    server = await startTestServer(tiers);
    restaurantId = (await aRestaurant(server.infra.db.prisma).build()).restaurant.id;
  });
  afterAll(() => server?.close());

  const aMember = () => aUser(server.infra.db.prisma).memberOf(restaurantId, 'STAFF').build();

  it('limits sign-in attempts per client address; wrong passwords spend the budget too', async () => {
    const user = await aMember();
    const attacker = anotherClientIp();

    for (let attempt = 0; attempt < 3; attempt++) {
      const { body } = await login(server, user.email, 'wrong password', attacker);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const fourth = await login(server, user.email, testPassword, attacker);
    const elsewhere = await login(server, user.email, testPassword, anotherClientIp());

    expect(fourth.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(fourth.body.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    expect(fourth.body.errors?.[0]?.extensions?.retryAfter).toBeLessThanOrEqual(900);
    expect(fourth.body.data).toBeNull();
    expect(elsewhere.body.errors).toBeUndefined();
    expect(elsewhere.body.data?.login.accessToken).toEqual(expect.any(String));
  });

  it('counts the API tier per user: one user spending it all does not limit another', async () => {
    const [alice, bob] = [await aMember(), await aMember()];
    const asAlice = await server.loginAs(alice.email);
    const asBob = await server.loginAs(bob.email);
    // A write: reads may be answered from the response cache, which spends no budget.
    const ping = (headers: Record<string, string>) => server.graphql<{ ping: boolean }>('mutation { ping }', {}, headers);

    for (let call = 0; call < 3; call++) expect((await ping(asAlice)).body.data?.ping).toBe(true);
    const limited = await ping(asAlice);
    const other = await ping(asBob);

    expect(limited.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(limited.body.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    expect(limited.body.errors?.[0]?.extensions?.retryAfter).toBeLessThanOrEqual(60);
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data?.ping).toBe(true);
  });

  it('never counts the federation _service field', async () => {
    const user = await aMember();
    const asUser = await server.loginAs(user.email);

    for (let call = 0; call < 5; call++) {
      const { body } = await server.graphql<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, asUser);
      expect(body.errors).toBeUndefined();
      expect(body.data?._service.sdl).toContain('type Query');
    }
    const codes: Json[] = [];
    for (let call = 0; call < 4; call++)
      codes.push((await server.graphql('mutation { ping }', {}, asUser)).body.errors?.[0]?.extensions?.code);

    expect(codes).toEqual([undefined, undefined, undefined, 'RATE_LIMITED']);
  });

  it('shares one budget between servers through Redis', async (ctx) => {
    needs(ctx, 'redis');
    const other = await startTestServer(tiers);
    try {
      const user = await aMember();
      const clientIp = anotherClientIp();

      const codes: Json[] = [];
      for (const target of [server, server, other, other]) {
        codes.push((await login(target, user.email, 'wrong password', clientIp)).body.errors?.[0]?.extensions?.code);
      }

      expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
    } finally {
      await other.close();
    }
  });
});

/** RATE_LIMIT_ANONYMOUS_HTTP: every anonymous HTTP request counts, whatever it asks. */
describe('per-address HTTP limit for anonymous traffic', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_ANONYMOUS_HTTP: '3/60' });
  });
  afterAll(() => server?.close());

  async function post(clientIp: string, query: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': clientIp, ...headers },
      body: JSON.stringify({ query }),
    });
    const body = await readJson(response);
    return { status: response.status, headers: response.headers, body };
  }
  const get = (clientIp: string, path: string) => fetch(`${server.url}${path}`, { headers: { 'x-forwarded-for': clientIp } });

  it('answers the 4th anonymous request from an address with 429, retry-after and the draft ratelimit headers', async () => {
    const clientIp = anotherClientIp();

    const allowed = [
      await post(clientIp, '{ __typename }'),
      await post(clientIp, '{ __typename }'),
      await post(clientIp, '{ __typename }'),
    ];
    const limited = await post(clientIp, '{ __typename }');
    const otherAddress = await post(anotherClientIp(), '{ __typename }');

    expect(allowed.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(allowed.map((response) => response.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0']);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-limit')).toBe('3');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    expect(limited.body).toEqual({
      errors: [
        {
          message: expect.stringMatching(/retry in \d+ s/),
          extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number), requestId: limited.headers.get('x-request-id') },
        },
      ],
    });
    expect(limited.body.errors[0].extensions.retryAfter).toBeGreaterThan(0);
    expect(otherAddress.status).toBe(200);
  });

  it('does not count authenticated requests', async () => {
    const prisma = server.infra.db.prisma;
    const { restaurant } = await aRestaurant(prisma).build();
    const user = await aUser(prisma).memberOf(restaurant.id, 'STAFF').build();
    const clientIp = anotherClientIp();

    const signedIn = await post(clientIp, `mutation { login(email: "${user.email}", password: "${testPassword}") { accessToken } }`);
    const asUser = { authorization: `Bearer ${signedIn.body.data.login.accessToken}` };
    const authenticated = [];
    for (let call = 0; call < 5; call++) authenticated.push(await post(clientIp, '{ me { email } }', asUser));
    const anonymous = [
      await post(clientIp, '{ __typename }'),
      await post(clientIp, '{ __typename }'),
      await post(clientIp, '{ __typename }'),
    ];

    expect(authenticated.map((response) => response.body.data?.me.email)).toEqual(Array(5).fill(user.email));
    expect(authenticated.every((response) => response.headers.get('ratelimit-limit') === null)).toBe(true);
    // The sign-in was anonymous: it and two more requests make the three the address may send.
    expect(anonymous.map((response) => response.status)).toEqual([200, 200, 429]);
  });

  it('never limits the health routes, nor counts them', async () => {
    const clientIp = anotherClientIp();

    const probes = [];
    for (let round = 0; round < 3; round++) {
      for (const path of ['/health', '/health/live', '/health/ready']) probes.push(await get(clientIp, path));
    }
    const graphql = [
      await post(clientIp, '{ __typename }'),
      await post(clientIp, '{ __typename }'),
      await post(clientIp, '{ __typename }'),
    ];
    const limited = await post(clientIp, '{ __typename }');
    const healthWhileLimited = await get(clientIp, '/health/ready');

    expect(probes.map((response) => response.status)).toEqual(Array(9).fill(200));
    expect(probes.every((response) => response.headers.get('ratelimit-limit') === null)).toBe(true);
    expect(graphql.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(limited.status).toBe(429);
    expect(healthWhileLimited.status).toBe(200);
  });
});
