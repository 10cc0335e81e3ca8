import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type Json, startTestServer, type TestServer, testPassword } from './testkit/test-server.js';

const allowedOrigin = 'https://app.servio.test';

describe('HTTP hardening', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CORS_ORIGINS: allowedOrigin });
  });
  afterAll(() => server?.close());

  /** A raw request from this server's client address; `init.headers` are added to it. */
  async function request(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
    const response = await fetch(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'x-forwarded-for': server.clientIp, ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    const text = await response.text();
    const body: Json = text ? JSON.parse(text) : null;
    return { status: response.status, headers: response.headers, body };
  }
  const postJson = (body: unknown, headers: Record<string, string> = {}) =>
    request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  /** A user whose sign-ins can be counted: a login that runs leaves a refresh token. */
  async function aUserToSignInAs() {
    const prisma = server.infra.db.prisma;
    const { restaurant } = await aRestaurant(prisma).build();
    const user = await aUser(prisma).memberOf(restaurant.id, 'STAFF').build();
    const login = `mutation { login(email: "${user.email}", password: "${testPassword}") { accessToken } }`;
    const sessions = () => prisma.refreshToken.count({ where: { userId: user.id } });
    return { login, sessions };
  }

  describe('security headers', () => {
    it.each([
      ['POST /graphql', () => postJson({ query: '{ apiVersion }' })],
      ['GET /health', () => request('/health')],
      ['GET /health/ready', () => request('/health/ready')],
      ['an error (404)', () => request('/no-such-route')],
    ])('%s carries them', async (_name, send) => {
      const { headers } = await send();

      expect(headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('content-security-policy')).toMatch(/default-src [^;]+/);
      expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(headers.get('x-powered-by')).toBeNull();
      // Helmet's headers for HTML documents and old browsers are not a JSON API's.
      for (const name of ['x-xss-protection', 'x-download-options', 'x-dns-prefetch-control', 'origin-agent-cluster'])
        expect(headers.get(name)).toBeNull();
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string) =>
      request('/graphql', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
      });

    it('answers a preflight from an allowed origin with that origin, credentials and a 10-minute max-age', async () => {
      const { status, headers } = await preflight(allowedOrigin);

      expect(status).toBe(204);
      expect(headers.get('access-control-allow-origin')).toBe(allowedOrigin);
      expect(headers.get('access-control-allow-credentials')).toBe('true');
      expect(headers.get('access-control-max-age')).toBe('600');
      expect(headers.get('access-control-allow-methods')).toContain('POST');
      expect(headers.get('access-control-allow-headers')).toContain('authorization');
      expect(headers.get('vary')).toContain('Origin');
    });

    it('gives any other origin no access-control-allow-origin, on the preflight or the request itself', async () => {
      const denied = await preflight('https://evil.example');
      const post = await postJson({ query: '{ apiVersion }' }, { origin: 'https://evil.example' });

      expect(denied.headers.get('access-control-allow-origin')).toBeNull();
      expect(post.headers.get('access-control-allow-origin')).toBeNull();
      expect(post.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('sends no CORS headers to a request without Origin (not a browser), but still Vary: Origin for caches', async () => {
      const { headers } = await postJson({ query: '{ apiVersion }' });

      expect(headers.get('access-control-allow-credentials')).toBeNull();
      expect(headers.get('access-control-expose-headers')).toBeNull();
      expect(headers.get('vary')).toContain('Origin');
    });

    it('lets an allowed origin read the answer and its request id', async () => {
      const { headers, body } = await postJson({ query: '{ apiVersion }' }, { origin: allowedOrigin });

      expect(body.data.apiVersion).toMatch(/^\d+\./);
      expect(headers.get('access-control-allow-origin')).toBe(allowedOrigin);
      expect(headers.get('access-control-expose-headers')).toContain('x-request-id');
    });
  });

  describe('CSRF prevention', () => {
    it('refuses a text/plain POST (a "simple" request) with 400 before anything runs', async () => {
      const { login, sessions } = await aUserToSignInAs();

      const { status, body } = await request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ query: login }),
      });

      expect(status).toBe(400);
      expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
      expect(body.errors[0].message).toMatch(/Cross-Site Request Forgery/);
      expect(body.data).toBeUndefined();
      expect(await sessions()).toBe(0);
    });

    it('refuses a mutation over GET with 405, even with a preflight header', async () => {
      const { login, sessions } = await aUserToSignInAs();

      const { status, headers, body } = await request(`/graphql?query=${encodeURIComponent(login)}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      const ping = await request(`/graphql?query=${encodeURIComponent('mutation{ping}')}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });

      expect(status).toBe(405);
      expect(headers.get('allow')).toBe('POST');
      expect(body.errors[0].extensions.code).toBe('METHOD_NOT_ALLOWED');
      expect(await sessions()).toBe(0);
      expect(ping.status).toBe(405);
    });

    it('still serves queries over GET when the client proves it is not a simple request', async () => {
      const { status, body } = await request(`/graphql?query=${encodeURIComponent('{ apiVersion }')}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });

      expect(status).toBe(200);
      expect(body.data.apiVersion).toMatch(/^\d+\./);
    });
  });

  describe('malformed requests', () => {
    it('refuses a body over HTTP_BODY_LIMIT_BYTES with 413 in the GraphQL error shape', async () => {
      const { status, headers, body } = await postJson({ query: `{ apiVersion } # ${'x'.repeat(1_200_000)}` });

      expect(status).toBe(413);
      expect(body).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'PAYLOAD_TOO_LARGE', requestId: headers.get('x-request-id') } }],
      });
    });

    it('answers malformed JSON with 400 BAD_REQUEST', async () => {
      const { status, body } = await request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query": "{ apiVersion }"',
      });

      expect(status).toBe(400);
      expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
      expect(body.data).toBeUndefined();
    });

    it('answers an unknown route with 404 in the GraphQL error shape', async () => {
      const { status, headers, body } = await request('/admin');
      const other = await request('/wp-login.php', { method: 'POST' });

      expect(status).toBe(404);
      expect(body.errors[0].extensions).toEqual({ code: 'NOT_FOUND', requestId: headers.get('x-request-id') });
      expect(other.status).toBe(404);
      expect(other.body.errors[0].extensions.code).toBe('NOT_FOUND');
    });
  });

  describe('request ids', () => {
    const errorRequests: Array<[string, (headers: Record<string, string>) => ReturnType<typeof request>, string]> = [
      [
        'malformed JSON',
        (h) => request('/graphql', { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: '{' }),
        'BAD_REQUEST',
      ],
      ['a body over the limit', (h) => postJson({ query: `{ apiVersion } # ${'x'.repeat(1_200_000)}` }, h), 'PAYLOAD_TOO_LARGE'],
      ['an unknown route', (h) => request('/nope', { headers: h }), 'NOT_FOUND'],
      [
        'an unsupported content type',
        (h) => request('/graphql', { method: 'POST', headers: { ...h, 'content-type': 'application/xml' }, body: '<q/>' }),
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      ['a bad bearer token', (h) => postJson({ query: '{ apiVersion }' }, { ...h, authorization: 'Bearer nope' }), 'UNAUTHENTICATED'],
      ['a validation error', (h) => postJson({ query: '{ noSuchField }' }, h), 'GRAPHQL_VALIDATION_FAILED'],
      ['a resolver error', (h) => postJson({ query: '{ me { id } }' }, h), 'UNAUTHENTICATED'],
      [
        'a mutation over GET',
        (h) => request(`/graphql?query=${encodeURIComponent('mutation{ping}')}`, { headers: { ...h, 'apollo-require-preflight': 'true' } }),
        'METHOD_NOT_ALLOWED',
      ],
      [
        'a CSRF-blocked request',
        (h) => request('/graphql', { method: 'POST', headers: { ...h, 'content-type': 'text/plain' }, body: '{"query":"{ apiVersion }"}' }),
        'BAD_REQUEST',
      ],
      ['a batch (batching is disabled)', (h) => postJson([{ query: '{ apiVersion }' }, { query: '{ apiVersion }' }], h), 'BAD_REQUEST'],
    ];

    it.each(errorRequests)('%s: the error body carries the x-request-id', async (_name, send, code) => {
      const generated = await send({});
      const traceId = `trace-${randomUUID()}`;
      const traced = await send({ 'x-request-id': traceId });

      expect(generated.body.errors[0].extensions.code).toBe(code);
      expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(generated.body.errors[0].extensions.requestId).toBe(generated.headers.get('x-request-id'));
      expect(traced.headers.get('x-request-id')).toBe(traceId);
      expect(traced.body.errors[0].extensions.requestId).toBe(traceId);
    });
  });
});
