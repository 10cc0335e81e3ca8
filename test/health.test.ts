import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from './testkit/needs.js';
import { readJson, startTestServer, type TestServer } from './testkit/test-server.js';

describe('health routes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it.each(['/health', '/health/live'])('%s says the process is up', async (path) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({ status: 'ok' });
  });

  it('/health/ready is 200 when the database, its migrations and the cache all answer', async () => {
    const response = await fetch(`${server.url}/health/ready`);
    const body = await readJson(response);

    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.checks.database.status).toBe('ok');
    expect(body.checks.migrations.status).toBe('ok');
    expect(body.checks.cache.status).toBe('ok');
  });

  it('/health/detailed reports each dependency with its latency, the pool, memory, uptime and version', async () => {
    const response = await fetch(`${server.url}/health/detailed`);
    const body = await readJson(response);

    expect(response.status).toBe(200);
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.uptimeSeconds).toBeGreaterThan(0);
    expect(body.uptimeSeconds).toBeLessThan(process.uptime() + 1); // this process's, in seconds
    expect(body.checks.database.latencyMs).toBeTypeOf('number');
    expect(body.database.kind).toBe(server.infra.db.kind);
    if (server.infra.db.kind === 'postgres') expect(body.database.pool).toMatchObject({ max: 5, total: expect.any(Number) });
    expect(body.system.memory.heapUsedBytes).toBeGreaterThan(0);
    expect(body.cache).toMatchObject({
      kind: server.infra.cache.kind,
      hits: expect.any(Number),
      misses: expect.any(Number),
      hitRate: expect.any(Number),
    });
  });

  it('echoes the caller request id, and stamps it on every GraphQL error', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-abc-123' },
      body: JSON.stringify({ query: '{ noSuchField }' }),
    });
    const body = await readJson(response);

    expect(response.headers.get('x-request-id')).toBe('trace-abc-123');
    expect(body.errors[0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', requestId: 'trace-abc-123' });
  });

  it('makes its own request id when the caller sends none or a malformed one', async () => {
    const response = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('readiness when a dependency fails', () => {
  it('is 503 naming the migrations while they are pending', async (ctx) => {
    needs(ctx, 'embedded'); // the run's shared PostgreSQL database is always migrated
    const server = await startTestServer({}, { migrate: false });
    try {
      const response = await fetch(`${server.url}/health/ready`);
      const body = await readJson(response);
      expect(response.status).toBe(503);
      expect(body.failing).toEqual(['migrations']);
      expect(body.checks.migrations.error).toMatch(/pending: \d{14}_init/);
    } finally {
      await server.close();
    }
  });

  it('stays ready (200 "degraded") naming the cache when Redis does not answer: Redis is an optimisation', async () => {
    const server = await startTestServer({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const response = await fetch(`${server.url}/health/ready`);
      const body = await readJson(response);
      expect(response.status).toBe(200);
      expect(body.status).toBe('degraded');
      expect(body.failing).toEqual(expect.arrayContaining(['cache', 'redis']));
      expect(body.checks.redis.error).toBe('unavailable');
      expect(body.failing).not.toContain('database');
      // The server itself stays up and keeps answering.
      expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
