import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFeedbackSubgraph } from '../gateway/feedback/feedback-subgraph.js';
import { startGateway } from '../gateway/gateway.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type Json, startTestServer, type TestServer } from './testkit/test-server.js';

// Hive Gateway in front of the Servio subgraph and the feedback subgraph (gateway/), all over real HTTP.
describe('the supergraph through Hive Gateway', () => {
  let servio: TestServer;
  let feedback: Awaited<ReturnType<typeof startFeedbackSubgraph>>;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  const subgraphRequests: Array<Record<string, string | undefined>> = [];
  beforeAll(async () => {
    servio = await startTestServer();
    // Record what the gateway sends the Servio subgraph.
    servio.app.server.on('request', (request) => {
      subgraphRequests.push({ authorization: request.headers.authorization, secret: request.headers['x-gateway-secret'] as string });
    });
    feedback = await startFeedbackSubgraph({ port: 0, servioUrl: `${servio.url}/graphql` });
    gateway = await startGateway({
      port: 0,
      host: '127.0.0.1',
      subgraphs: [
        { name: 'servio', url: `${servio.url}/graphql` },
        { name: 'feedback', url: feedback.url },
      ],
      subgraphHeaders: { 'x-gateway-secret': 'composes-and-queries' },
    });
  }, 120_000);
  afterAll(async () => {
    await gateway?.close();
    await feedback?.close();
    await servio?.close();
  });

  const send = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };

  it('composes both subgraphs: Restaurant, MenuItem, Order and User carry feedback fields', () => {
    for (const [type, field] of [
      ['Restaurant', 'feedbackUrl'],
      ['MenuItem', 'rating'],
      ['Order', 'feedback'],
      ['User', 'feedbackGiven'],
    ]) {
      expect(gateway.supergraph).toMatch(new RegExp(`type ${type}[^{]*\\{[^}]*\\b${field}\\b`));
    }
  });

  it('resolves entities across both subgraphs with the caller credentials forwarded to each', async () => {
    const prisma = servio.infra.db.prisma;
    const { restaurant, categories } = await aRestaurant(prisma).withCategory('Mains', 2).build();
    const staff = await aUser(prisma).memberOf(restaurant.id, 'STAFF').build();
    const headers = await servio.loginAs(staff.email);
    const dish = categories[0]?.items[0];
    const placed = await servio.graphql<{ createOrder: { id: string } }>(
      'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
      { input: { restaurantId: restaurant.id, idempotencyKey: 'gateway-1', items: [{ menuItemId: dish?.id, quantity: 1 }] } },
      headers,
    );
    const orderId = placed.body.data?.createOrder.id;
    subgraphRequests.length = 0;

    // Served by the feedback subgraph, which checks the forwarded token with Servio.
    const left = await send(
      'mutation($o: ID!, $m: ID, $s: Int!) { leaveFeedback(orderId: $o, menuItemId: $m, stars: $s, comment: "Lovely") { stars author { email } } }',
      { o: orderId, m: dish?.id, s: 5 },
      headers,
    );
    const read = await send(
      `query($slug: String!, $orderId: ID!) {
        restaurant(slug: $slug) { name feedbackUrl menu { items { name rating { average count } } } }
        order(id: $orderId) { status feedback { stars comment author { email } } }
        me { email feedbackGiven { stars order { status } } }
      }`,
      { slug: restaurant.slug, orderId },
      headers,
    );

    expect(left.body).toEqual({ data: { leaveFeedback: { stars: 5, author: { email: staff.email } } } });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.restaurant.feedbackUrl).toBe(`https://feedback.servio.test/r/${restaurant.id}`);
    expect(read.body.data.restaurant.menu[0].items.find((item: Json) => item.name === dish?.name).rating).toEqual({ average: 5, count: 1 });
    expect(read.body.data.order).toEqual({ status: 'PENDING', feedback: { stars: 5, comment: 'Lovely', author: { email: staff.email } } });
    expect(read.body.data.me).toEqual({ email: staff.email, feedbackGiven: [{ stars: 5, order: { status: 'PENDING' } }] });
    // Every request the gateway made to Servio carried the caller's token and the gateway secret.
    const fromGateway = subgraphRequests.filter((request) => request.secret === 'composes-and-queries');
    expect(fromGateway.length).toBeGreaterThanOrEqual(3);
    expect(fromGateway.every((request) => request.authorization === headers.authorization)).toBe(true);
  });

  it('passes typed errors through and masks unexpected ones', async () => {
    const anonymous = await send('mutation { leaveFeedback(orderId: "x", stars: 4) { id } }');
    const outOfRange = await send('mutation { leaveFeedback(orderId: "x", stars: 9) { id } }');
    const signedOut = await send('{ me { email } }');
    vi.spyOn(feedback.store, 'byAuthor').mockImplementationOnce(() => {
      throw new Error('feedback store: connection refused to 10.0.0.7:5432 as feedback_admin');
    });
    const prisma = servio.infra.db.prisma;
    const user = await aUser(prisma).build();
    const broken = await send('{ me { email feedbackGiven { stars } } }', {}, await servio.loginAs(user.email));

    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(outOfRange.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stars' });
    expect(signedOut.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(broken.body)).not.toMatch(/10\.0\.0\.7|feedback_admin|connection refused|stack/);
    expect(broken.body.errors[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});
