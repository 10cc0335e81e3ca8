import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { digestSecret } from '../src/auth/secrets.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type Json, readJson, startTestServer, type TestServer, testPassword } from './testkit/test-server.js';

/**
 * The bad-input battery: one running server, every kind of hostile or malformed request thrown at
 * it, each answered with its own error code, never a 500, and nothing written. Add a case as a row.
 */

interface HttpRequest {
  method?: 'GET' | 'POST';
  path?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
}

/** What the rows need that only exists once the server runs and the suite has seeded its data. */
interface Fixtures {
  restaurantId: string;
  menuItemId: string;
  owner: { id: string; email: string };
  ownerAuth: { authorization: string };
  partnerKey: string;
  revokedPartnerKey: string;
  revokedRefreshToken: string;
  expiredRefreshToken: string;
  expiredJwt: string;
  forgedJwt: string;
  algNoneJwt: string;
}

const json = (payload: unknown, headers: Record<string, string> = {}): HttpRequest => ({
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(payload),
});
const graphql = (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) =>
  json({ query, variables }, headers);
const get = (query: string, headers: Record<string, string> = { 'apollo-require-preflight': 'true' }): HttpRequest => ({
  method: 'GET',
  path: `/graphql?query=${encodeURIComponent(query)}`,
  headers,
});

/** `restaurant { menu { items { category { items { category …` down to `levels` fields. */
function nestedQuery(levels: number): string {
  let selection = 'id';
  for (let level = levels - 2; level > 0; level--) selection = `${level % 2 === 1 ? 'items' : 'category'} { ${selection} }`;
  return `{ restaurant(slug: "demo-bistro") { menu { ${selection} } } }`;
}

function multipart(): HttpRequest {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: '{ apiVersion }' }));
  form.set('map', '{}');
  return { body: form };
}

interface BatteryCase {
  name: string;
  request: (fixtures: Fixtures) => HttpRequest;
  status: number;
  code: string;
  /** `extensions.reason`, where the server gives one. */
  reason?: string;
}

/**
 * Requests refused whole: by Fastify, Apollo's HTTP layer, parsing, validation, the query limits,
 * authentication or the trusted-documents hook. None of them may run an operation.
 */
const battery: BatteryCase[] = [
  // Transport
  {
    name: 'malformed JSON',
    request: () => ({ headers: { 'content-type': 'application/json' }, body: '{"query": "{ apiVersion }"' }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'JSON that is not an operation (a string)', request: () => json('{ apiVersion }'), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'text/plain (a CSRF "simple" request)',
    request: () => ({ headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: 'mutation { ping }' }) }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'application/xml',
    request: () => ({ headers: { 'content-type': 'application/xml' }, body: '<query>{ apiVersion }</query>' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'application/x-www-form-urlencoded',
    request: () => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7BapiVersion%7D' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  { name: 'multipart/form-data (uploads are not enabled)', request: multipart, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'GET without a preflight header (CSRF)', request: () => get('{ apiVersion }', {}), status: 400, code: 'BAD_REQUEST' },
  { name: 'a mutation over GET', request: () => get('mutation { ping }'), status: 405, code: 'METHOD_NOT_ALLOWED' },
  {
    name: 'a body over HTTP_BODY_LIMIT_BYTES (1.2 MB)',
    request: () => graphql(`{ apiVersion } # ${'x'.repeat(1_200_000)}`),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  // Apollo rejects batches unless allowBatchedHttpRequests is set, which it is not.
  {
    name: 'a batch of 1,000 operations',
    request: () => json(Array.from({ length: 1_000 }, () => ({ query: '{ apiVersion }' }))),
    status: 400,
    code: 'BAD_REQUEST',
  },
  // The document
  { name: 'an empty document', request: () => json({ query: '' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a document that is not a string', request: () => json({ query: 42 }), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'variables that are not an object',
    request: () => json({ query: '{ apiVersion }', variables: 'x' }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'a syntax error', request: () => graphql('{ apiVersion '), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  {
    name: 'a 1 MB document (under the body limit)',
    request: () => graphql(`{ ${'apiVersion '.repeat(91_000)}}`),
    status: 400,
    code: 'DOCUMENT_TOO_LARGE',
  },
  { name: 'a depth-50 query', request: () => graphql(nestedQuery(50)), status: 400, code: 'DEPTH_LIMIT_EXCEEDED' },
  // 10,000 aliases cannot fit in QUERY_MAX_DOCUMENT_BYTES (32 KiB): the size check, which runs first, refuses them.
  {
    name: '10,000 aliases',
    request: () => graphql(`{ ${Array.from({ length: 10_000 }, (_, index) => `a${index}: apiVersion`).join(' ')} }`),
    status: 400,
    code: 'DOCUMENT_TOO_LARGE',
  },
  {
    name: 'a fragment cycle',
    request: () => graphql('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  { name: 'an unknown field', request: () => graphql('{ users { passwordHash } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    name: 'a variable of the wrong type',
    request: () => graphql('query($slug: String!) { restaurant(slug: $slug) { id } }', { slug: 42 }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a required variable missing',
    request: () => graphql('query($slug: String!) { restaurant(slug: $slug) { id } }'),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an object where a string variable goes',
    request: () => graphql('query($slug: String!) { restaurant(slug: $slug) { id } }', { slug: { $ne: null } }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an unknown operationName',
    request: () => json({ query: 'query A { apiVersion }', operationName: 'B' }),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'two operations and no operationName',
    request: () => graphql('query A { apiVersion } query B { apiVersion }'),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  // Credentials
  {
    name: 'a bearer token that is not a JWT',
    request: () => graphql('{ me { id } }', {}, { authorization: 'Bearer not.a.jwt' }),
    status: 401,
    code: 'UNAUTHENTICATED',
    reason: 'invalid',
  },
  {
    name: 'an expired JWT',
    request: (f) => graphql('{ me { id } }', {}, { authorization: `Bearer ${f.expiredJwt}` }),
    status: 401,
    code: 'UNAUTHENTICATED',
    reason: 'expired',
  },
  {
    name: 'a JWT signed with another key',
    request: (f) => graphql('{ me { id } }', {}, { authorization: `Bearer ${f.forgedJwt}` }),
    status: 401,
    code: 'UNAUTHENTICATED',
    reason: 'invalid',
  },
  {
    name: 'an alg:none JWT',
    request: (f) => graphql('{ me { id } }', {}, { authorization: `Bearer ${f.algNoneJwt}` }),
    status: 401,
    code: 'UNAUTHENTICATED',
    reason: 'invalid',
  },
  {
    name: 'a Basic authorization header',
    request: () => graphql('{ me { id } }', {}, { authorization: 'Basic YWRtaW46YWRtaW4=' }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a bearer token and an API key together',
    request: (f) => graphql('{ apiVersion }', {}, { ...f.ownerAuth, 'x-api-key': f.partnerKey }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a revoked API key',
    request: (f) => graphql('{ apiVersion }', {}, { 'x-api-key': f.revokedPartnerKey }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'an SQL injection as the API key',
    request: () => graphql('{ apiVersion }', {}, { 'x-api-key': `sk_' OR 1=1; --` }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a partner key sending an ad-hoc document',
    request: (f) => graphql('query($id: ID!) { apiKeys(restaurantId: $id) { id } }', { id: f.restaurantId }, { 'x-api-key': f.partnerKey }),
    status: 400,
    code: 'PERSISTED_QUERY_NOT_ALLOWED',
  },
  // Checked by the resolvers: the request is fine, the values are not.
  {
    name: 'an expired refresh token',
    request: (f) => graphql('mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }', { t: f.expiredRefreshToken }),
    status: 200,
    code: 'UNAUTHENTICATED',
    reason: 'expired',
  },
  {
    name: 'a 100 KB partner name',
    request: (f) =>
      graphql(
        'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
        { input: { restaurantId: f.restaurantId, partnerName: 'x'.repeat(100_000), scopes: ['MENU_READ'] } },
        f.ownerAuth,
      ),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an API key expiring in the past',
    request: (f) =>
      graphql(
        'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
        { input: { restaurantId: f.restaurantId, partnerName: 'Co', scopes: ['MENU_READ'], expiresAt: '2001-01-01T00:00:00.000Z' } },
        f.ownerAuth,
      ),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
];

const hostileValues = [
  { name: 'SQL injection', value: `' OR 1=1; DROP TABLE "User"; --` },
  { name: 'SQL injection (union)', value: `x' UNION SELECT "passwordHash" FROM "User" --` },
  { name: 'a script tag', value: '<script>alert(1)</script>' },
  { name: 'an event handler', value: '"><img src=x onerror=alert(1)>' },
  { name: 'a NUL byte', value: 'demo\u0000bistro' },
  { name: '100 KB', value: 'x'.repeat(100_000), oversized: true },
];

/** What a hostile value must get: an error code, or this data. */
type Outcome = { code: string } | { data: Json };

interface TextArgument {
  /** The operation and argument, e.g. "login(email)". */
  argument: string;
  document: string;
  variables: (value: string, fixtures: Fixtures) => Record<string, unknown>;
  asOwner?: boolean;
  /** The answer every hostile value gets: the same as for any other value that matches nothing. */
  expected: Outcome;
  /** What the 100 KB value gets instead, where that differs. */
  oversized?: Outcome;
}

/**
 * IDs are bounded (validation/validate.ts: "a megabyte-long id is rejected before any query"), so
 * an oversized one is bad input, not an unknown record looked up in the database.
 */
const boundedId: Outcome = { code: 'BAD_USER_INPUT' };

/** Every text argument of every operation that must refuse (or ignore) what it does not know. */
const textArguments: TextArgument[] = [
  {
    argument: 'login(email)',
    document: 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
    variables: (value) => ({ email: value, password: testPassword }),
    expected: { code: 'UNAUTHENTICATED' },
  },
  {
    argument: 'login(password)',
    document: 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
    variables: (value, f) => ({ email: f.owner.email, password: value }),
    expected: { code: 'UNAUTHENTICATED' },
  },
  {
    argument: 'refreshSession(refreshToken)',
    document: 'mutation($token: String!) { refreshSession(refreshToken: $token) { accessToken } }',
    variables: (value) => ({ token: value }),
    expected: { code: 'UNAUTHENTICATED' },
  },
  {
    argument: 'logout(refreshToken)',
    document: 'mutation($token: String!) { logout(refreshToken: $token) }',
    variables: (value) => ({ token: value }),
    expected: { data: { logout: true } },
  },
  {
    argument: 'restaurant(slug)',
    document: 'query($slug: String!) { restaurant(slug: $slug) { id name } }',
    variables: (value) => ({ slug: value }),
    expected: { data: { restaurant: null } },
  },
  {
    argument: 'apiKeys(restaurantId)',
    document: 'query($id: ID!) { apiKeys(restaurantId: $id) { id } }',
    variables: (value) => ({ id: value }),
    asOwner: true,
    expected: { code: 'FORBIDDEN' },
  },
  {
    argument: 'menuItems(restaurantId)',
    document: 'query($id: ID!) { menuItems(restaurantId: $id) { id } }',
    variables: (value) => ({ id: value }),
    asOwner: true,
    expected: { code: 'FORBIDDEN' },
  },
  {
    argument: 'createApiKey(input.restaurantId)',
    document: 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
    variables: (value) => ({ input: { restaurantId: value, partnerName: 'DeliveryCo', scopes: ['MENU_READ'] } }),
    asOwner: true,
    expected: { code: 'FORBIDDEN' },
  },
  {
    argument: 'revokeApiKey(id)',
    document: 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }',
    variables: (value) => ({ id: value }),
    asOwner: true,
    expected: { code: 'NOT_FOUND' },
    oversized: boundedId,
  },
  {
    argument: 'order(id)',
    document: 'query($id: ID!) { order(id: $id) { id } }',
    variables: (value) => ({ id: value }),
    asOwner: true,
    expected: { code: 'NOT_FOUND' },
    oversized: boundedId,
  },
  {
    argument: 'orders(after)',
    document: 'query($id: ID!, $after: String) { orders(restaurantId: $id, after: $after) { edges { node { id } } } }',
    variables: (value, f) => ({ id: f.restaurantId, after: value }),
    asOwner: true,
    expected: { code: 'BAD_USER_INPUT' },
  },
  {
    argument: 'updateOrderStatus(id)',
    document: 'mutation($id: ID!) { updateOrderStatus(id: $id, status: CANCELLED) { id } }',
    variables: (value) => ({ id: value }),
    asOwner: true,
    expected: { code: 'NOT_FOUND' },
    oversized: boundedId,
  },
  {
    argument: 'createOrder(input.restaurantId)',
    document: 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
    variables: (value, f) => ({
      input: { restaurantId: value, idempotencyKey: `k-${Math.random()}`, items: [{ menuItemId: f.menuItemId, quantity: 1 }] },
    }),
    asOwner: true,
    expected: { code: 'FORBIDDEN' },
  },
  {
    argument: 'createOrder(input.items.menuItemId)',
    document: 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
    variables: (value, f) => ({
      input: { restaurantId: f.restaurantId, idempotencyKey: `k-${Math.random()}`, items: [{ menuItemId: value, quantity: 1 }] },
    }),
    asOwner: true,
    expected: { code: 'BAD_USER_INPUT' },
  },
  {
    argument: 'createOrder(input.customerPhone)',
    document: 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
    variables: (value, f) => ({
      input: {
        restaurantId: f.restaurantId,
        idempotencyKey: `k-${Math.random()}`,
        customerPhone: value,
        items: [{ menuItemId: f.menuItemId, quantity: 1 }],
      },
    }),
    asOwner: true,
    expected: { code: 'BAD_USER_INPUT' },
  },
];

const textArgumentCases = textArguments.flatMap((argument) =>
  hostileValues.map((hostile) => ({
    ...argument,
    valueName: hostile.name,
    value: hostile.value,
    expected: (hostile.oversized && argument.oversized) || argument.expected,
  })),
);

/** Hostile free text and what is left of it once sanitized: plain text, markup gone, SQL inert. */
const hostileTexts: Array<{ name: string; value: string; text: string }> = [
  { name: 'SQL injection', value: `' OR 1=1; DROP TABLE "User"; --`, text: `' OR 1=1; DROP TABLE "User"; --` },
  { name: 'a script tag and nothing else', value: '<script>alert(1)</script>', text: '' },
  { name: 'an event handler', value: 'Deli<img src=x onerror=alert(1)>Co', text: 'DeliCo' },
  { name: 'markup around text', value: '<b>Delivery</b>Co', text: 'DeliveryCo' },
  { name: 'an entity-encoded script', value: '&lt;script&gt;alert(1)&lt;/script&gt;Co', text: 'Co' },
];

describe('bad input battery', () => {
  let server: TestServer;
  let fixtures: Fixtures;
  let before: RowCounts;
  const sharedDatabase = inject('databaseUrl') !== null;

  async function send(request: HttpRequest): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${server.url}${request.path ?? '/graphql'}`, {
      method: request.method ?? 'POST',
      headers: { 'x-forwarded-for': server.clientIp, ...request.headers },
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  type RowCounts = Record<'users' | 'apiKeys' | 'auditLogs' | 'refreshTokens' | 'orders', number>;

  /**
   * Rows the hostile requests could write. A private (embedded) database is counted whole. A
   * shared PostgreSQL has other suites writing concurrently, so there only what this suite can
   * reach is counted: audit rows from its client address (every write through the API records
   * one in the same transaction), its restaurant's keys and orders, its owner's refresh tokens, and
   * users carrying a hostile value.
   */
  async function rowCounts(): Promise<RowCounts> {
    const prisma = server.infra.db.prisma;
    if (!sharedDatabase) {
      const [users, apiKeys, auditLogs, refreshTokens, orders] = await Promise.all([
        prisma.user.count(),
        prisma.apiKey.count(),
        prisma.auditLog.count(),
        prisma.refreshToken.count(),
        prisma.order.count(),
      ]);
      return { users, apiKeys, auditLogs, refreshTokens, orders };
    }
    const markers = ['DROP TABLE', 'UNION SELECT', '<script', 'onerror'];
    const [users, apiKeys, auditLogs, refreshTokens, orders] = await Promise.all([
      prisma.user.count({ where: { OR: markers.flatMap((marker) => [{ email: { contains: marker } }, { name: { contains: marker } }]) } }),
      prisma.apiKey.count({ where: { restaurantId: fixtures.restaurantId } }),
      prisma.auditLog.count({ where: { ip: server.clientIp } }),
      prisma.refreshToken.count({ where: { userId: fixtures.owner.id } }),
      prisma.order.count({ where: { restaurantId: fixtures.restaurantId } }),
    ]);
    return { users, apiKeys, auditLogs, refreshTokens, orders };
  }

  beforeAll(async () => {
    server = await startTestServer();
    const prisma = server.infra.db.prisma;
    const { restaurant, categories } = await aRestaurant(prisma).withCategory('Mains', 1).build();
    const owner = await aUser(prisma).memberOf(restaurant.id, 'OWNER').build();
    const ownerAuth = await server.loginAs(owner.email);

    const createKey = async () => {
      const { body } = await server.graphql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
        'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }',
        { input: { restaurantId: restaurant.id, partnerName: 'DeliveryCo', scopes: ['MENU_READ'] } },
        ownerAuth,
      );
      if (!body.data) throw new Error(`createApiKey failed: ${JSON.stringify(body.errors)}`);
      return body.data.createApiKey;
    };
    const partnerKey = await createKey();
    const revokedKey = await createKey();
    await server.graphql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: revokedKey.apiKey.id }, ownerAuth);

    const refreshToken = async () => {
      const { body } = await server.graphql<{ login: { refreshToken: string } }>(
        'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { refreshToken } }',
        { email: owner.email, password: testPassword },
      );
      if (!body.data) throw new Error(`login failed: ${JSON.stringify(body.errors)}`);
      return body.data.login.refreshToken;
    };
    const revokedRefreshToken = await refreshToken();
    await server.graphql('mutation($t: String!) { logout(refreshToken: $t) }', { t: revokedRefreshToken });
    const expiredRefreshToken = await refreshToken();
    await prisma.refreshToken.update({
      where: { tokenHash: digestSecret(expiredRefreshToken) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });

    const claims = (jwt: SignJWT) =>
      jwt.setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(owner.id).setIssuer('servio-api').setAudience('servio-api');
    const key = new TextEncoder().encode(server.infra.config.jwtSecret ?? '');
    const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    fixtures = {
      restaurantId: restaurant.id,
      menuItemId: categories[0]?.items[0]?.id ?? '',
      owner,
      ownerAuth,
      partnerKey: partnerKey.secret,
      revokedPartnerKey: revokedKey.secret,
      revokedRefreshToken,
      expiredRefreshToken,
      expiredJwt: await claims(new SignJWT({})).setIssuedAt(1_600_000_000).setExpirationTime(1_600_000_900).sign(key),
      forgedJwt: await claims(new SignJWT({}))
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('another-secret-that-is-long-enough-0123456789')),
      algNoneJwt: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: owner.id, iss: 'servio-api', aud: 'servio-api', exp: 9_999_999_999 })}.`,
    };
    before = await rowCounts();
  });
  afterAll(() => server?.close());

  it.each(battery)('$name → $status $code', async ({ request, status, code, reason }) => {
    const response = await send(request(fixtures));

    expect(response.body?.errors?.[0]?.extensions?.code).toBe(code);
    expect(response.status).toBe(status);
    if (reason) expect(response.body.errors[0].extensions.reason).toBe(reason);
    expect(response.body.data ?? null).toBeNull();
  });

  it.each(textArgumentCases)('$argument = $valueName is refused or harmless', async ({ document, variables, asOwner, expected, value }) => {
    const { status, body } = await send(graphql(document, variables(value, fixtures), asOwner ? fixtures.ownerAuth : {}));

    const code = body.errors?.[0]?.extensions?.code;
    expect(code, 'an unexpected error escaped: hostile input must be refused or handled').not.toBe('INTERNAL_SERVER_ERROR');
    expect(status).toBeLessThan(500);
    // A NUL byte cannot be stored or compared by PostgreSQL: refusing it up front is right too.
    const alsoAllowed = value.includes('\u0000') ? ['BAD_USER_INPUT'] : [];
    if ('code' in expected) {
      expect([expected.code, ...alsoAllowed]).toContain(code);
      // Refused: no field has a value (a nullable field is answered null beside its error).
      expect(Object.values(body.data ?? {}).filter((field) => field !== null)).toEqual([]);
    } else if (!alsoAllowed.includes(code)) {
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual(expected.data);
    }
  });

  // Tests of a file run in order: this one sees every refused request above, and none of the writes below.
  it('wrote nothing for any of the refused requests', async () => {
    expect(await rowCounts()).toEqual(before);
  });

  it.each(hostileTexts)('stores a partner name with $name as plain text', async ({ value, text }) => {
    const { body } = await server.graphql<{ createApiKey: { apiKey: { id: string; partnerName: string } } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id partnerName } } }',
      { input: { restaurantId: fixtures.restaurantId, partnerName: value, scopes: ['MENU_READ'] } },
      fixtures.ownerAuth,
    );

    if (text === '') {
      // Nothing is left once the markup is gone, and a partner name needs one character.
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.partnerName' });
      return;
    }
    expect(body.errors).toBeUndefined();
    expect(body.data?.createApiKey.apiKey.partnerName).toBe(text);
    const row = await server.infra.db.prisma.apiKey.findUniqueOrThrow({ where: { id: body.data?.createApiKey.apiKey.id ?? '' } });
    expect(row.partnerName).toBe(text);
    // The injection was data: the User table is still there.
    expect(await server.infra.db.prisma.user.count()).toBeGreaterThan(0);
  });

  it.each(hostileTexts)('stores order text with $name as plain text', async ({ value, text }) => {
    const { body } = await server.graphql<{ createOrder: { id: string } }>(
      'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id customerName notes items { note } } }',
      {
        input: {
          restaurantId: fixtures.restaurantId,
          idempotencyKey: `hostile-${Math.random()}`,
          customerName: value,
          notes: value,
          items: [{ menuItemId: fixtures.menuItemId, quantity: 1, note: value }],
        },
      },
      fixtures.ownerAuth,
    );

    expect(body.errors).toBeUndefined();
    const row = await server.infra.db.prisma.order.findUniqueOrThrow({
      where: { id: body.data?.createOrder.id ?? '' },
      include: { items: true },
    });
    expect({ customerName: row.customerName, notes: row.notes, note: row.items[0]?.note }).toEqual({
      customerName: text,
      notes: text,
      note: text,
    });
  });

  it('refuses a NUL byte in free text with BAD_USER_INPUT naming the variable, storing nothing', async () => {
    const keys = await server.infra.db.prisma.apiKey.count({ where: { restaurantId: fixtures.restaurantId } });
    const { status, body } = await server.graphql(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }',
      { input: { restaurantId: fixtures.restaurantId, partnerName: 'Delivery\u0000Co', scopes: ['MENU_READ'] } },
      fixtures.ownerAuth,
    );

    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'variables.input.partnerName' });
    expect(await server.infra.db.prisma.apiKey.count({ where: { restaurantId: fixtures.restaurantId } })).toBe(keys);
  });

  it('refuses a revoked refresh token and records the replay', async () => {
    const { body } = await server.graphql('mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }', {
      t: fixtures.revokedRefreshToken,
    });

    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'reused' });
    expect(body.data).toBeNull();
    const replays = await server.infra.db.prisma.auditLog.count({
      where: { action: 'auth.refresh_token_reuse', actorId: fixtures.owner.id, ip: server.clientIp },
    });
    expect(replays).toBe(1);
  });

  it('is still ready after all of it', async () => {
    const response = await fetch(`${server.url}/health/ready`);
    expect(response.status).toBe(200);
    expect((await readJson(response)).status).toBe('ok');
  });
});
