import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorCode, readJson, startTestServer, type TestServer } from './testkit/test-server.js';

const metricsToken = 'operator-token-0123456789abcdef';
const gatewaySecret = 'gateway-secret-0123456789abcdef';

describe('operator routes and _service with METRICS_TOKEN and GATEWAY_SECRET', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ METRICS_TOKEN: metricsToken, GATEWAY_SECRET: gatewaySecret });
  });
  afterAll(() => server?.close());

  it.each(['/metrics', '/health/detailed'])('%s answers only the operator token (Authorization: Bearer)', async (path) => {
    const anonymous = await fetch(`${server.url}${path}`);
    const wrong = await fetch(`${server.url}${path}`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    const operator = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${metricsToken}` } });

    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(errorCode(await readJson(anonymous))).toBe('UNAUTHENTICATED');
    expect(wrong.status).toBe(401);
    // Let in: the route's own answer (/health/detailed is 503 when a dependency check fails), never 401.
    expect(operator.status).not.toBe(401);
    expect(await operator.text()).toMatch(path === '/metrics' ? /servio_/ : /"checks"/);
  });

  it('keeps the probes public: /health/ready needs no token', async () => {
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
  });

  it('answers { _service { sdl } } only to the gateway secret, through fragments too', async () => {
    const stranger = await server.graphql('{ _service { sdl } }');
    const hidden = await server.graphql('query { ...S } fragment S on Query { svc: _service { sdl } }');
    const wrong = await server.graphql('{ _service { sdl } }', {}, { 'x-gateway-secret': 'guess-guess-guess-guess' });
    const gateway = await server.graphql<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, { 'x-gateway-secret': gatewaySecret });

    for (const refused of [stranger, hidden, wrong]) {
      expect(refused.status).toBe(403);
      expect(errorCode(refused.body)).toBe('FORBIDDEN');
      expect(JSON.stringify(refused.body)).not.toContain('type Query');
    }
    expect(gateway.status).toBe(200);
    expect(gateway.body.data?._service.sdl).toContain('type Query');
    // Other operations need no secret.
    expect((await server.graphql('{ apiVersion }')).status).toBe(200);
  });
});

const databaseUrl = inject('databaseUrl');
const redisUrl = inject('redisUrl');

/** Production refuses to start without PostgreSQL, Redis and a JWT secret: only runs that have them can test it. */
describe.skipIf(!databaseUrl || !redisUrl)('production without METRICS_TOKEN or GATEWAY_SECRET', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl ?? '',
      REDIS_URL: redisUrl ?? '',
      JWT_SECRET: 'operator-access-test-secret-0123456789abcdef',
    });
  });
  afterAll(() => server?.close());

  it('hides /metrics and /health/detailed (404) and refuses _service to everyone', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.url}/health/detailed`)).status).toBe(404);
    const service = await server.graphql('{ _service { sdl } }');
    expect(service.status).toBe(403);
    expect(errorCode(service.body)).toBe('FORBIDDEN');
  });
});
