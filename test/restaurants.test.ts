import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type Json, startTestServer, type TestServer } from './testkit/test-server.js';

const update =
  'mutation($input: UpdateRestaurantInput!) { updateRestaurant(input: $input) { name timezone taxRateBps settings { openingHours allowNegativeStock } } }';
const members = 'query($slug: String!) { restaurant(slug: $slug) { members { role user { email } } } }';
const changeRole = 'mutation($input: ChangeMemberRoleInput!) { changeMemberRole(input: $input) { role } }';
const remove = 'mutation($r: ID!, $u: ID!) { removeMember(restaurantId: $r, userId: $u) }';
const auditLogs =
  'query($r: ID!, $action: String, $after: String) { auditLogs(restaurantId: $r, action: $action, first: 2, after: $after) { totalCount edges { node { action entityType before after actor { email } requestId } } pageInfo { hasNextPage endCursor } } }';

describe('restaurant settings, members and the audit log', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  async function setUp() {
    const prisma = server.infra.db.prisma;
    const { restaurant } = await aRestaurant(prisma).build();
    const owner = await aUser(prisma).memberOf(restaurant.id, 'OWNER').build();
    const manager = await aUser(prisma).memberOf(restaurant.id, 'MANAGER').build();
    const staff = await aUser(prisma).memberOf(restaurant.id, 'STAFF').build();
    const as = async (user: { email: string }) => server.loginAs(user.email);
    return { restaurant, owner, manager, staff, as };
  }

  it('lets owners change settings, audited with before and after; others are refused', async () => {
    const { restaurant, owner, manager, as } = await setUp();
    const input = {
      restaurantId: restaurant.id,
      name: 'Chez <i>Test</i>',
      timezone: 'Asia/Tokyo',
      taxRateBps: 825,
      openingHours: { mon: '11:00-22:00', sun: 'closed' },
    };

    const denied = await server.graphql<Json>(update, { input }, await as(manager));
    const { body } = await server.graphql<Json>(update, { input }, await as(owner));

    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(body.data.updateRestaurant).toEqual({
      name: 'Chez Test',
      timezone: 'Asia/Tokyo',
      taxRateBps: 825,
      settings: { openingHours: { mon: '11:00-22:00', sun: 'closed' }, allowNegativeStock: false },
    });
    const audit = await server.infra.db.prisma.auditLog.findFirstOrThrow({
      where: { entityId: restaurant.id, action: 'restaurant.update' },
    });
    expect(audit.before).toMatchObject({ timezone: 'Europe/Paris', taxRateBps: 1000 });
    expect(audit.after).toMatchObject({ timezone: 'Asia/Tokyo', taxRateBps: 825 });
    expect(audit.actorId).toBe(owner.id);
  });

  it.each([
    [{ timezone: 'Mars/Olympus' }, 'input.timezone'],
    [{ taxRateBps: 10_001 }, 'input.taxRateBps'],
    [{ taxRateBps: -1 }, 'input.taxRateBps'],
    [{ name: '   ' }, 'input.name'],
    [{ openingHours: { mon: '25:00-26:00' } }, 'input.openingHours.mon'],
  ])('rejects %j with BAD_USER_INPUT on %s', async (change, field) => {
    const { restaurant, owner, as } = await setUp();

    const { body } = await server.graphql<Json>(update, { input: { restaurantId: restaurant.id, ...change } }, await as(owner));

    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('lists members for managers and owners only', async () => {
    const { restaurant, manager, staff, as } = await setUp();

    const listed = await server.graphql<Json>(members, { slug: restaurant.slug }, await as(manager));
    const denied = await server.graphql<Json>(members, { slug: restaurant.slug }, await as(staff));

    expect(listed.body.data.restaurant.members.map((member: Json) => member.role)).toEqual(['OWNER', 'MANAGER', 'STAFF']);
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('adds members by email, refusing duplicates and unknown accounts', async () => {
    const { restaurant, owner, staff, as } = await setUp();
    const newcomer = await aUser(server.infra.db.prisma).build();
    const add = 'mutation($input: AddMemberInput!) { addMember(input: $input) { role user { email } restaurant { id } } }';
    const headers = await as(owner);

    const added = await server.graphql<Json>(
      add,
      { input: { restaurantId: restaurant.id, email: newcomer.email.toUpperCase(), role: 'STAFF' } },
      headers,
    );
    const duplicate = await server.graphql<Json>(
      add,
      { input: { restaurantId: restaurant.id, email: staff.email, role: 'MANAGER' } },
      headers,
    );
    const unknown = await server.graphql<Json>(
      add,
      { input: { restaurantId: restaurant.id, email: 'nobody@servio.test', role: 'STAFF' } },
      headers,
    );

    expect(added.body.data.addMember).toEqual({ role: 'STAFF', user: { email: newcomer.email }, restaurant: { id: restaurant.id } });
    expect(duplicate.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
  });

  it('never leaves a restaurant without an owner, even when two owners demote each other at once', async () => {
    const { restaurant, owner, manager, staff, as } = await setUp();
    const ownerHeaders = await as(owner);

    const lastOwner = await server.graphql<Json>(
      changeRole,
      { input: { restaurantId: restaurant.id, userId: owner.id, role: 'MANAGER' } },
      ownerHeaders,
    );
    const removeLast = await server.graphql<Json>(remove, { r: restaurant.id, u: owner.id }, ownerHeaders);
    expect(lastOwner.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(removeLast.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    expect((await server.graphql<Json>(remove, { r: restaurant.id, u: staff.id }, ownerHeaders)).body.data.removeMember).toBe(true);
    await server.graphql(changeRole, { input: { restaurantId: restaurant.id, userId: manager.id, role: 'OWNER' } }, ownerHeaders);
    const managerHeaders = await as(manager);
    const race = await Promise.all([
      server.graphql<Json>(changeRole, { input: { restaurantId: restaurant.id, userId: manager.id, role: 'STAFF' } }, ownerHeaders),
      server.graphql<Json>(changeRole, { input: { restaurantId: restaurant.id, userId: owner.id, role: 'STAFF' } }, managerHeaders),
    ]);

    // One demotion wins; the other is refused: CONFLICT when both passed the role check before
    // either committed, FORBIDDEN when the loser was already demoted by then.
    expect(race.filter((answer) => answer.body.data?.changeMemberRole?.role === 'STAFF')).toHaveLength(1);
    expect(race.map((answer) => answer.body.errors?.[0]?.extensions?.code).filter(Boolean)).toEqual([
      expect.stringMatching(/^(CONFLICT|FORBIDDEN)$/),
    ]);
    expect(await server.infra.db.prisma.membership.count({ where: { restaurantId: restaurant.id, role: 'OWNER' } })).toBe(1);
  });

  it("keeps other tenants' owners out of settings and members", async () => {
    const { restaurant, staff } = await setUp();
    const other = await setUp();
    const headers = await other.as(other.owner);

    const settings = await server.graphql<Json>(update, { input: { restaurantId: restaurant.id, taxRateBps: 0 } }, headers);
    const removal = await server.graphql<Json>(remove, { r: restaurant.id, u: staff.id }, headers);

    expect(settings.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(removal.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await server.infra.db.prisma.membership.count({ where: { restaurantId: restaurant.id } })).toBe(3);
    expect((await server.infra.db.prisma.restaurant.findUniqueOrThrow({ where: { id: restaurant.id } })).taxRateBps).toBe(1000);
  });

  it('shows owners their audit trail newest first, filtered and paged; nobody else', async () => {
    const { restaurant, owner, manager, as } = await setUp();
    const headers = await as(owner);
    for (const taxRateBps of [100, 200, 300]) await server.graphql(update, { input: { restaurantId: restaurant.id, taxRateBps } }, headers);
    const other = await setUp();

    const first = await server.graphql<Json>(auditLogs, { r: restaurant.id, action: 'restaurant.update' }, headers);
    const second = await server.graphql<Json>(
      auditLogs,
      { r: restaurant.id, action: 'restaurant.update', after: first.body.data.auditLogs.pageInfo.endCursor },
      headers,
    );
    const byManager = await server.graphql<Json>(auditLogs, { r: restaurant.id }, await as(manager));
    const byOtherOwner = await server.graphql<Json>(auditLogs, { r: restaurant.id }, await other.as(other.owner));

    expect(first.body.data.auditLogs.totalCount).toBe(3);
    const taxRates = [...first.body.data.auditLogs.edges, ...second.body.data.auditLogs.edges].map(
      (edge: Json) => edge.node.after.taxRateBps,
    );
    expect(taxRates).toEqual([300, 200, 100]);
    expect(first.body.data.auditLogs.edges[0].node).toMatchObject({
      action: 'restaurant.update',
      entityType: 'Restaurant',
      actor: { email: owner.email },
    });
    expect(first.body.data.auditLogs.edges[0].node.requestId).toEqual(expect.any(String));
    expect(second.body.data.auditLogs.pageInfo.hasNextPage).toBe(false);
    expect(byManager.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(byOtherOwner.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
