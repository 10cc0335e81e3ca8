import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { needs } from './testkit/needs.js';
import { type Json, startTestServer, type TestServer } from './testkit/test-server.js';

const databaseUrl = inject('databaseUrl');
const redisUrl = inject('redisUrl');

/** Production refuses to start without PostgreSQL, Redis and a JWT secret: only runs that have them can test it. */
describe('NODE_ENV=production', () => {
  let server: TestServer;
  beforeEach((ctx) => needs(ctx, 'postgres', 'redis'));
  beforeAll(async () => {
    if (!databaseUrl || !redisUrl) return; // every test is skipped, with the reason (beforeEach)
    server = await startTestServer({
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl ?? '',
      REDIS_URL: redisUrl ?? '',
      JWT_SECRET: 'production-mode-test-secret-0123456789abcdef',
    });
  });
  afterAll(() => server?.close());

  async function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
    const response = await fetch(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'x-forwarded-for': server.clientIp, ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: (text.startsWith('{') ? JSON.parse(text) : null) as Json };
  }
  const graphql = (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) =>
    send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });

  it('runs with production defaults: no migrations or seeding on start', () => {
    expect(server.infra.config).toMatchObject({ isProduction: true, migrateOnStart: false, seedOnEmpty: false });
    expect(server.infra.db.kind).toBe('postgres');
  });

  it.each([
    ['__schema', '{ __schema { types { name } } }'],
    ['__type', '{ __type(name: "Query") { fields { name } } }'],
    ['introspection inside a fragment', '{ ...Probe } fragment Probe on Query { __schema { queryType { name } } }'],
  ])('refuses introspection (%s)', async (_name, query) => {
    const { status, body } = await graphql(query);

    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors[0].message).toMatch(/introspection/i);
    expect(body.data).toBeUndefined();
  });

  it('still answers __typename', async () => {
    const { body } = await graphql('{ __typename }');
    expect(body.data).toEqual({ __typename: 'Query' });
  });

  it.each([
    ['a misspelt field', '{ apiVersio }', 'apiVersion'],
    ['a misspelt argument', '{ restaurant(slg: "x") { id } }', '"slug"'],
    ['a misspelt type', 'query($slug: Strin!) { restaurant(slug: $slug) { id } }', '"String"'],
    [
      'a misspelt enum literal',
      'mutation { createApiKey(input: { restaurantId: "r", partnerName: "p", scopes: [MENU_REA] }) { secret } }',
      'MENU_READ',
    ],
  ])('names no schema member in validation errors: %s', async (_name, query, hidden) => {
    const { status, body } = await graphql(query);

    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors[0].message).not.toMatch(/Did you mean/);
    expect(body.errors[0].message).not.toContain(hidden);
  });

  it.each([
    ['a misspelt enum value', { restaurantId: 'r', partnerName: 'p', scopes: ['MENU_REA'] }, 'MENU_READ'],
    ['a misspelt input field', { restaurantId: 'r', partnerNam: 'p', scopes: ['MENU_READ'] }, 'partnerName"?'],
  ])('names no schema member in variable errors: %s', async (_name, input, hidden) => {
    const { status, body } = await graphql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input });

    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    for (const error of body.errors) {
      expect(error.message).not.toMatch(/Did you mean/);
      expect(error.message).not.toContain(hidden);
    }
  });

  it('puts no stack trace and no internals in any error', async () => {
    const answers = [
      await graphql('{ apiVersion '),
      await graphql('{ noSuchField }'),
      await graphql('query($slug: String!) { restaurant(slug: $slug) { id } }', { slug: 42 }),
      await graphql('{ me { id } }'),
      await graphql('{ me { id } }', {}, { authorization: 'Bearer not.a.jwt' }),
      await send('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
      await send('/no-such-route'),
      // PostgreSQL cannot compare text with a NUL byte: an unexpected error, which must stay opaque.
      await graphql('query($slug: String!) { restaurant(slug: $slug) { id } }', { slug: 'demo\u0000bistro' }),
    ];

    for (const { status, text, body } of answers) {
      expect(status).toBeGreaterThanOrEqual(200);
      expect(body.errors.length).toBeGreaterThan(0);
      expect(body.errors.every((error: Json) => typeof error.extensions?.code === 'string')).toBe(true);
      expect(text).not.toContain('stacktrace');
      expect(text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/);
      expect(text).not.toMatch(/prisma|invalid byte sequence|SQL/i);
    }
    const internal = answers.at(-1)?.body.errors[0];
    if (internal.extensions.code === 'INTERNAL_SERVER_ERROR') expect(internal.message).toBe('Internal server error.');
  });

  it('serves no Sandbox page and a locked-down content security policy', async () => {
    const { headers, text } = await send('/graphql', { headers: { accept: 'text/html', 'apollo-require-preflight': 'true' } });

    expect(headers.get('content-type')).not.toMatch(/text\/html/);
    expect(text).not.toMatch(/<html|embeddable-sandbox/i);
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });
});
