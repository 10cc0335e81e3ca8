import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCacheService } from '../src/infra/cache-service.js';
import { anotherInstance, type Instance, sharedRedis } from './testkit/another-instance.js';
import { startPrivateRedis } from './testkit/private-redis.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { countStatements, errorCode, startTestServer, type TestServer } from './testkit/test-server.js';

const ordersOf = 'query($r: ID!) { orders(restaurantId: $r, first: 1) { edges { node { id } } } }';
const removeMember = 'mutation($r: ID!, $u: ID!) { removeMember(restaurantId: $r, userId: $u) }';
const addMember = 'mutation($input: AddMemberInput!) { addMember(input: $input) { role } }';
const changeRole = 'mutation($input: ChangeMemberRoleInput!) { changeMemberRole(input: $input) { role } }';
const renameRestaurant = 'mutation($input: UpdateRestaurantInput!) { updateRestaurant(input: $input) { name } }';

describe('permission cache shared by two instances', () => {
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

  it('authenticates a warm request without SQL, and a removed member loses access at once on the other instance', async () => {
    const prisma = base.infra.db.prisma;
    const { restaurant } = await aRestaurant(prisma).build();
    const owner = await aUser(prisma).memberOf(restaurant.id, 'OWNER').build();
    const staff = await aUser(prisma).memberOf(restaurant.id, 'STAFF').build();
    const ownerHeaders = await base.loginAs(owner.email);
    const staffHeaders = await base.loginAs(staff.email);

    expect((await a.graphql(ordersOf, { r: restaurant.id }, staffHeaders)).errors).toBeUndefined();
    const warm = await countStatements(base, async () => {
      expect((await b.graphql(ordersOf, { r: restaurant.id }, staffHeaders)).errors).toBeUndefined();
    });
    // Only the page: neither the user nor the memberships are read again (cached by instance a, read by b).
    expect(warm.filter((sql) => /"User"|"Membership"/.test(sql))).toEqual([]);
    expect(warm).toHaveLength(1);
    expect(base.infra.cacheService.stats().hits + a.infra.cacheService.stats().hits + b.infra.cacheService.stats().hits).toBeGreaterThan(0);

    expect((await a.graphql(removeMember, { r: restaurant.id, u: staff.id }, ownerHeaders)).data).toEqual({ removeMember: true });

    expect(errorCode(await b.graphql(ordersOf, { r: restaurant.id }, staffHeaders))).toBe('FORBIDDEN');
    expect(errorCode(await a.graphql(ordersOf, { r: restaurant.id }, staffHeaders))).toBe('FORBIDDEN');
  });

  it('applies an added member and a changed role at once on the other instance', async () => {
    const prisma = base.infra.db.prisma;
    const { restaurant } = await aRestaurant(prisma).build();
    const owner = await aUser(prisma).memberOf(restaurant.id, 'OWNER').build();
    const newcomer = await aUser(prisma).build();
    const ownerHeaders = await base.loginAs(owner.email);
    const newcomerHeaders = await base.loginAs(newcomer.email);
    expect(errorCode(await b.graphql(ordersOf, { r: restaurant.id }, newcomerHeaders))).toBe('FORBIDDEN');

    const added = await a.graphql(
      addMember,
      { input: { restaurantId: restaurant.id, email: newcomer.email, role: 'STAFF' } },
      ownerHeaders,
    );
    expect(added.data).toEqual({ addMember: { role: 'STAFF' } });
    expect((await b.graphql(ordersOf, { r: restaurant.id }, newcomerHeaders)).errors).toBeUndefined();
    const rename = { input: { restaurantId: restaurant.id, name: 'Renamed' } };
    expect(errorCode(await b.graphql(renameRestaurant, rename, newcomerHeaders))).toBe('FORBIDDEN');

    const promoted = await a.graphql(
      changeRole,
      { input: { restaurantId: restaurant.id, userId: newcomer.id, role: 'OWNER' } },
      ownerHeaders,
    );
    expect(promoted.data).toEqual({ changeMemberRole: { role: 'OWNER' } });
    expect((await b.graphql(renameRestaurant, rename, newcomerHeaders)).data).toEqual({ updateRestaurant: { name: 'Renamed' } });
  });
});

describe('permission cache while Redis is down', () => {
  it('answers from the database while Redis is down, and caches again once it is back', async () => {
    const privateRedis = await startPrivateRedis();
    if ('skipped' in privateRedis) {
      console.warn(`skipped: ${privateRedis.skipped}`);
      return;
    }
    const redis = new Redis(privateRedis.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 50,
    });
    redis.on('error', () => {}); // Refused connections while it is down are this test's point.
    await redis.connect();
    const reads: string[] = [];
    let isAdmin = false;
    const { createUserAccessCache } = await import('../src/auth/user-access-cache.js');
    const errors: unknown[] = [];
    const access = createUserAccessCache({
      cache: createCacheService(redis),
      load: async (ids) => {
        reads.push(...ids);
        return ids.map(() => ({ isAdmin, roles: new Map() }));
      },
      onError: (error) => errors.push(error),
    });
    try {
      expect((await access.get('u1'))?.isAdmin).toBe(false);
      await expect.poll(async () => (await redis.keys('*')).length).toBe(1);
      expect((await access.get('u1'))?.isAdmin).toBe(false);
      expect(reads).toEqual(['u1']);

      await privateRedis.kill();
      isAdmin = true;
      expect((await access.get('u1'))?.isAdmin).toBe(true);
      await access.invalidate(['u1']);
      expect(errors.length).toBeGreaterThan(0);

      await privateRedis.start();
      await expect.poll(() => redis.status).toBe('ready');
      // Written again by this instance's retry, before any request: other instances see it too.
      await expect.poll(async () => (await redis.keys('*user-access-version*')).length, { timeout: 10_000 }).toBe(1);
      expect((await access.get('u1'))?.isAdmin).toBe(true);
      expect(reads).toEqual(['u1', 'u1', 'u1']);
    } finally {
      redis.disconnect();
      await privateRedis.stop();
    }
  });
});
