import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherInstance, type Instance, sharedRedis } from './testkit/another-instance.js';
import { scrape } from './testkit/prometheus.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { countStatements, startTestServer, type TestServer } from './testkit/test-server.js';

const menuQuery = 'query($slug: String!) { restaurant(slug: $slug) { name menu { name items { id name price { amount } } } } }';
const toggle = 'mutation($id: ID!, $available: Boolean!) { setMenuItemAvailability(id: $id, available: $available) { id available } }';

/** An anonymous POST or GET, answering the raw bytes and the cache headers. */
async function send(url: string, slug: string, options: { get?: boolean; headers?: Record<string, string> } = {}) {
  const variables = JSON.stringify({ slug });
  const response = options.get
    ? await fetch(`${url}/graphql?query=${encodeURIComponent(menuQuery)}&variables=${encodeURIComponent(variables)}`, {
        headers: { 'apollo-require-preflight': 'true', ...options.headers },
      })
    : await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify({ query: menuQuery, variables: { slug } }),
      });
  return {
    status: response.status,
    text: await response.text(),
    cache: response.headers.get('x-cache'),
    cacheControl: response.headers.get('cache-control'),
    etag: response.headers.get('etag'),
    internal: response.headers.get('servio-cache-scopes'),
  };
}

describe('cache-hit fast path', () => {
  let base: TestServer;
  let redis: Awaited<ReturnType<typeof sharedRedis>>;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    base = await startTestServer();
    redis = await sharedRedis();
    a = await anotherInstance(base, redis);
    b = await anotherInstance(base, redis);
  }, 180_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await base?.close();
    await redis?.stop();
  });

  async function aMenu() {
    const prisma = base.infra.db.prisma;
    const built = await aRestaurant(prisma).withCategory('Mains', 3).build();
    const manager = await aUser(prisma).memberOf(built.restaurant.id, 'MANAGER').build();
    return { slug: built.restaurant.slug, itemId: built.categories[0]?.items[0]?.id as string, headers: await base.loginAs(manager.email) };
  }

  it('answers a repeated anonymous read with the stored bytes, without running GraphQL, SQL or Redis', async () => {
    const { slug } = await aMenu();
    const miss = await send(base.url, slug);
    const operations = (await scrape(base))('servio_graphql_operation_duration_seconds_count') ?? 0;

    let hit: Awaited<ReturnType<typeof send>> | undefined;
    const statements = await countStatements(base, async () => {
      hit = await send(base.url, slug);
    });

    expect(miss.cache).toBe('MISS');
    expect(hit?.cache).toBe('HIT');
    expect(hit?.text).toBe(miss.text);
    expect(hit?.cacheControl).toBe('max-age=300, public');
    expect(statements).toEqual([]);
    // Apollo never saw the second request: its operation count did not move.
    expect((await scrape(base))('servio_graphql_operation_duration_seconds_count')).toBe(operations);
    expect([miss.internal, hit?.internal]).toEqual([null, null]);
  });

  it('drops the stored answer on every instance as soon as another instance writes', async () => {
    const { slug, itemId, headers } = await aMenu();
    await send(b.url, slug);
    expect((await send(b.url, slug)).cache).toBe('HIT');

    const written = await a.graphql(toggle, { id: itemId, available: false }, headers);
    expect(written.data).toEqual({ setMenuItemAvailability: { id: itemId, available: false } });

    // Within pub/sub delivery (milliseconds), far inside the in-process tier's 10 s lifetime.
    await expect.poll(async () => (await send(b.url, slug)).text, { timeout: 2_000, interval: 20 }).not.toContain(itemId);
  });

  it('gives GETs a strong ETag and answers 304 Not Modified to a matching If-None-Match, hit or miss', async () => {
    const { slug } = await aMenu();
    const first = await send(base.url, slug, { get: true });
    expect(first.status).toBe(200);
    expect(first.etag).toMatch(/^"[\w-]+"$/);

    const fromMemory = await send(base.url, slug, { get: true, headers: { 'if-none-match': first.etag as string } });
    expect([fromMemory.status, fromMemory.text, fromMemory.cache]).toEqual([304, '', 'HIT']);

    // Another instance computes the same bytes, so the same ETag validates there too (a MISS, through Apollo).
    const elsewhere = await send(a.url, slug, { get: true, headers: { 'if-none-match': first.etag as string } });
    expect([elsewhere.status, elsewhere.text, elsewhere.etag]).toEqual([304, '', first.etag]);

    const stale = await send(base.url, slug, { get: true, headers: { 'if-none-match': '"something-else"' } });
    expect([stale.status, stale.text]).toEqual([200, first.text]);
  });

  it('never serves a stored public answer to a signed-in caller', async () => {
    const { slug, headers } = await aMenu();
    await send(base.url, slug);
    expect((await send(base.url, slug)).cache).toBe('HIT');

    const signedIn = await send(base.url, slug, { headers });
    expect(signedIn.status).toBe(200);
    // Apollo's pipeline answered (its own shared cache), with the same data.
    expect(JSON.parse(signedIn.text).data.restaurant.name).toBeDefined();
  });
});
