import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from './testkit/needs.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type Json, readJson, startTestServer, type TestServer } from './testkit/test-server.js';

const menuQuery = 'query($slug: String!) { restaurant(slug: $slug) { name menu { name items { id name available price { amount } } } } }';
const toggle = 'mutation($id: ID!, $available: Boolean!) { setMenuItemAvailability(id: $id, available: $available) { id available } }';

/** A POST with the server's client address, answering the body and the cache headers. */
async function send(server: TestServer, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': server.clientIp, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    body: (await readJson(response)) as Json,
    cache: response.headers.get('x-cache'),
    cacheControl: response.headers.get('cache-control'),
  };
}

describe('response cache', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  async function setUp() {
    const prisma = server.infra.db.prisma;
    const built = await aRestaurant(prisma).withCategory('Mains', 2).build();
    const staff = await aUser(prisma).memberOf(built.restaurant.id, 'STAFF').build();
    return { ...built, staff, headers: await server.loginAs(staff.email), itemId: built.categories[0]?.items[0]?.id as string };
  }

  it('serves the public menu from the cache until a write to that restaurant makes it stale', async () => {
    const { restaurant, headers, itemId } = await setUp();

    const first = await send(server, menuQuery, { slug: restaurant.slug });
    const second = await send(server, menuQuery, { slug: restaurant.slug });
    await send(server, toggle, { id: itemId, available: false }, headers);
    const afterWrite = await send(server, menuQuery, { slug: restaurant.slug });
    const again = await send(server, menuQuery, { slug: restaurant.slug });

    expect([first.cache, second.cache, afterWrite.cache, again.cache]).toEqual(['MISS', 'HIT', 'MISS', 'HIT']);
    expect(first.cacheControl).toBe('max-age=300, public');
    expect(second.body.data).toEqual(first.body.data);
    expect(first.body.data.restaurant.menu[0].items.map((item: Json) => item.id)).toContain(itemId);
    expect(afterWrite.body.data.restaurant.menu[0].items.map((item: Json) => item.id)).not.toContain(itemId);
  });

  it("keeps one restaurant's cached menu when another restaurant changes", async () => {
    const a = await setUp();
    const b = await setUp();

    await send(server, menuQuery, { slug: a.restaurant.slug });
    await send(server, toggle, { id: b.itemId, available: false }, b.headers);
    const stillCached = await send(server, menuQuery, { slug: a.restaurant.slug });

    expect(stillCached.cache).toBe('HIT');
  });

  it('keeps private answers per user, and never gives them to anyone else', async () => {
    const { restaurant, staff, headers } = await setUp();
    const other = await aUser(server.infra.db.prisma).memberOf(restaurant.id, 'MANAGER').build();
    const otherHeaders = await server.loginAs(other.email);
    const me = '{ me { email memberships { role } } }';

    const mine = await send(server, me, {}, headers);
    const mineAgain = await send(server, me, {}, headers);
    const theirs = await send(server, me, {}, otherHeaders);
    const anonymous = await send(server, me, {});

    expect([mine.cache, mineAgain.cache, theirs.cache]).toEqual(['MISS', 'HIT', 'MISS']);
    expect(mine.cacheControl).toBe('max-age=600, private');
    expect(mineAgain.body.data.me.email).toBe(staff.email);
    expect(theirs.body.data.me).toEqual({ email: other.email, memberships: [{ role: 'MANAGER' }] });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('counts cacheable responses by hit or miss in /metrics', async () => {
    const { restaurant } = await setUp();
    const count = async (result: string) => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return Number(new RegExp(`^servio_cache_responses_total\\{result="${result}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    };
    const [hits, misses] = [await count('hit'), await count('miss')];

    await send(server, menuQuery, { slug: restaurant.slug });
    await send(server, menuQuery, { slug: restaurant.slug });
    await send(server, menuQuery, { slug: restaurant.slug });

    expect(await count('miss')).toBe(misses + 1);
    expect(await count('hit')).toBe(hits + 2);
  });

  it("takes no slug in any mutation: the invalidation keeps a restaurant's slug once it has read it", async () => {
    const { body } = await server.graphql<Json>(
      '{ __schema { mutationType { fields { name args { name } } } types { name kind inputFields { name } } } }',
    );

    const mutationArgs = body.data.__schema.mutationType.fields.flatMap((field: Json) =>
      field.args.map((arg: Json) => `${field.name}(${arg.name})`),
    );
    const inputFields = body.data.__schema.types
      .filter((type: Json) => type.kind === 'INPUT_OBJECT')
      .flatMap((type: Json) => type.inputFields.map((field: Json) => `${type.name}.${field.name}`));
    expect(mutationArgs.length).toBeGreaterThan(20);
    expect(inputFields.length).toBeGreaterThan(20);
    expect([...mutationArgs, ...inputFields].filter((name) => /slug/i.test(name))).toEqual([]);
  });

  it('does not cache what has no cache hint (orders)', async () => {
    const { restaurant, headers } = await setUp();
    const orders = 'query($r: ID!) { orders(restaurantId: $r) { totalCount } }';

    await send(server, orders, { r: restaurant.id }, headers);
    const second = await send(server, orders, { r: restaurant.id }, headers);

    expect(second.cache).toBe('BYPASS');
  });

  it('runs a document known uncacheable without per-field cache hints, and its hinting resolvers still answer', async () => {
    const prisma = server.infra.db.prisma;
    const built = await aRestaurant(prisma).withCategory('Mains', 2, { unavailable: 1 }).build();
    const staff = await aUser(prisma).memberOf(built.restaurant.id, 'STAFF').build();
    const headers = await server.loginAs(staff.email);
    // Orders make the answer uncacheable; switched-off items make their resolver hint PRIVATE.
    const mixed =
      'query($r: ID!, $slug: String!) { orders(restaurantId: $r) { totalCount } restaurant(slug: $slug) { menu { items(includeUnavailable: true) { name available } } } }';

    const answers = [];
    for (let run = 0; run < 3; run++)
      answers.push(await send(server, mixed, { r: built.restaurant.id, slug: built.restaurant.slug }, headers));

    expect(answers.map((answer) => answer.cache)).toEqual(['BYPASS', 'BYPASS', 'BYPASS']);
    expect(answers.map((answer) => answer.body.errors)).toEqual([undefined, undefined, undefined]);
    const items = answers[0]?.body.data.restaurant.menu[0].items;
    expect(items.map((item: Json) => item.available).sort()).toEqual([false, true]);
    expect(answers.map((answer) => answer.body.data)).toEqual(Array(3).fill(answers[0]?.body.data));
  });

  it('invalidates on every instance: a write on one server makes the other serve fresh data', async (ctx) => {
    needs(ctx, 'redis');
    const { restaurant, headers, itemId } = await setUp();
    const other = await startTestServer();
    try {
      await send(other, menuQuery, { slug: restaurant.slug });
      expect((await send(other, menuQuery, { slug: restaurant.slug })).cache).toBe('HIT');

      await send(server, toggle, { id: itemId, available: false }, headers);
      const fresh = await send(other, menuQuery, { slug: restaurant.slug });

      expect(fresh.cache).toBe('MISS');
      expect(fresh.body.data.restaurant.menu[0].items.map((item: Json) => item.id)).not.toContain(itemId);
    } finally {
      await other.close();
    }
  });
});
