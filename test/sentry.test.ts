import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSentry } from './testkit/fake-sentry.js';
import { aRestaurant, aUser, uniqueSuffix } from './testkit/seed-builder.js';
import { type Json, startTestServer, type TestServer } from './testkit/test-server.js';

/**
 * The real SDK against a local stand-in for Sentry: it posts its envelopes to
 * http://127.0.0.1:<port>/api/1/envelope/, where they are decoded and kept.
 *
 * Sentry's client is global to the process. Each suite file runs in its own worker process, so
 * this file initialises it once, through the first server built with SENTRY_DSN, and never closes it.
 */

describe('Sentry error and trace reporting', () => {
  let sentry: Awaited<ReturnType<typeof startFakeSentry>>;
  let server: TestServer;

  beforeAll(async () => {
    sentry = await startFakeSentry();
    // One connection, so a session setting made through Prisma holds for every statement this server sends.
    server = await startTestServer({ SENTRY_DSN: sentry.dsn, SENTRY_TRACES_SAMPLE_RATE: '1', DB_POOL_MAX: '1' });
  });
  afterAll(async () => {
    await server?.close();
    await sentry?.close();
  });

  const events = () => sentry.events();
  const transactions = () => sentry.items.filter((item) => item.type === 'transaction').map((item) => item.payload);

  it('sends an unexpected resolver error with its user, request id, restaurant and operation; expected errors stay out', async () => {
    const prisma = server.infra.db.prisma;
    const { restaurant } = await aRestaurant(prisma).build();
    const owner = await aUser(prisma).memberOf(restaurant.id, 'OWNER').build();
    const headers = await server.loginAs(owner.email);
    const rename = 'mutation RenameRestaurant($input: UpdateRestaurantInput!) { updateRestaurant(input: $input) { name } }';
    const input = { restaurantId: restaurant.id, name: 'Renamed' };
    const ids = { validation: `validation-${uniqueSuffix()}`, auth: `auth-${uniqueSuffix()}`, unexpected: `unexpected-${uniqueSuffix()}` };

    const invalid = await server.graphql<Json>('query Broken { nope }', {}, { 'x-request-id': ids.validation });
    const anonymous = await server.graphql<Json>(rename, { input }, { 'x-request-id': ids.auth });
    // A real database failure, not a product code path: the server's only connection turns read-only.
    await prisma.$executeRaw`SET default_transaction_read_only = on`;
    const failed = await server
      .graphql<Json>(rename, { input }, { ...headers, 'x-request-id': ids.unexpected })
      .finally(() => prisma.$executeRaw`SET default_transaction_read_only = off`);
    await server.infra.errorTracking.flush(5_000);

    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(failed.body.errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: ids.unexpected });
    expect(sentry.paths.every((path) => path.startsWith('/api/1/envelope/'))).toBe(true);
    // Exactly one event: the bug. The validation and auth errors never left the process.
    expect(events().map((event) => event.tags?.request_id)).toEqual([ids.unexpected]);
    const [event] = events();
    expect(event.exception.values.at(-1).value).toMatch(/read-only transaction/);
    expect(event.user).toEqual({ id: owner.id });
    // Neither the bearer token nor the variables leave the process.
    expect(event.request.headers).toEqual(expect.objectContaining({ 'x-request-id': ids.unexpected }));
    expect(event.request.headers).not.toHaveProperty('authorization');
    expect(event.request).not.toHaveProperty('data');
    expect(JSON.stringify(sentry.items)).not.toContain(headers.authorization.slice('Bearer '.length));
    expect(event.transaction).toBe('RenameRestaurant');
    expect(event.tags).toMatchObject({ request_id: ids.unexpected, restaurant_id: restaurant.id, 'graphql.operation_type': 'mutation' });
    expect(event.contexts.graphql).toEqual({ operationName: 'RenameRestaurant', operationType: 'mutation', path: ['updateRestaurant'] });
    expect(event.breadcrumbs.filter((crumb: Json) => crumb.category === 'graphql').map((crumb: Json) => crumb.message)).toEqual([
      'request received',
      'operation resolved',
      'execution started',
    ]);
    // The request's transaction, renamed after the operation, in the same trace as the error, with the operation's span.
    const isOperation = (span: Json) => span.op === 'graphql.operation' && span.data?.['request.id'] === ids.unexpected;
    const transaction = transactions().find((item) => item.spans.some(isOperation));
    expect(transaction?.transaction).toBe('RenameRestaurant');
    expect(transaction?.contexts.trace.trace_id).toBe(event.contexts.trace.trace_id);
    expect(transaction?.spans.find(isOperation)).toMatchObject({ description: 'RenameRestaurant', status: 'internal_error' });
    // Only GraphQL requests are traced: the envelopes this stand-in receives are not.
    expect(
      transactions()
        .filter((item) => item.contexts.trace.op === 'http.server')
        .map((item) => item.request?.url ?? item.transaction),
    ).not.toContainEqual(expect.stringContaining('/api/1/envelope/'));
  });

  it('traces a GET request under its operation without its query string, which holds the variables', async () => {
    const marker = `marker-${uniqueSuffix()}`;
    const search = new URLSearchParams({
      query: 'query RestaurantBySlug($slug: String!) { restaurant(slug: $slug) { name } }',
      variables: JSON.stringify({ slug: marker }),
    });

    const response = await fetch(`${server.url}/graphql?${search}`, {
      headers: { 'apollo-require-preflight': 'true', 'x-forwarded-for': server.clientIp },
    });
    await server.infra.errorTracking.flush(5_000);

    expect(((await response.json()) as Json).data).toEqual({ restaurant: null });
    expect(transactions().map((item) => item.transaction)).toContain('RestaurantBySlug');
    const graphqlTransactions = JSON.stringify(transactions().filter((item) => item.contexts.trace.op === 'http.server'));
    expect(graphqlTransactions).not.toContain(marker);
    // Nor the client's address (in real mode, Redis rate-limit keys hold it).
    expect(graphqlTransactions).not.toContain(server.clientIp);
  });

  it('traces GraphQL operations only: no transaction for probes, scrapes, or database and Redis work outside a request', async () => {
    const before = transactions().length;
    await fetch(`${server.url}/health/ready`);
    await fetch(`${server.url}/health`);
    await fetch(`${server.url}/metrics`);
    await server.infra.db.prisma.user.count();
    await server.infra.redis?.ping();
    const { body } = await server.graphql<Json>('query TracedOperation { apiVersion }');
    expect(body.errors).toBeUndefined();
    await server.infra.errorTracking.flush(5_000);

    const sent = transactions().slice(before);
    expect(sent.map((item) => item.transaction)).toContain('TracedOperation');
    expect(sent.map((item) => ({ op: item.contexts.trace.op, name: item.transaction }))).toEqual([
      { op: 'http.server', name: 'TracedOperation' },
    ]);
  });
});
