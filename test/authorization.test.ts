import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersistedQueryManifest } from '../src/plugins/persisted-queries/manifest.js';
import { manifestPath } from '../src/plugins/persisted-queries/paths.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type GraphQLResponse, type Json, readJson, startTestServer, type TestServer } from './testkit/test-server.js';

type Role = 'STAFF' | 'MANAGER' | 'OWNER';

/** A response body without its per-request ids, to compare two answers for indistinguishability. */
const comparable = (body: unknown): Json => JSON.parse(JSON.stringify(body, (key, value) => (key === 'requestId' ? undefined : value)));
type Headers = Record<string, string>;

const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as PersistedQueryManifest;
const partnerMenuItemsId = manifest.operations.find((operation) => operation.name === 'PartnerMenuItems')?.id ?? '';

/** The restaurant-scoped operations under test, each naming its restaurant the way its field does. */
const operations = {
  menuItems: {
    query: 'query($restaurantId: ID!) { menuItems(restaurantId: $restaurantId, first: 10) { id name available } }',
    variables: (target: Target) => ({ restaurantId: target.restaurantId }),
  },
  apiKeys: {
    query: 'query($restaurantId: ID!) { apiKeys(restaurantId: $restaurantId) { id prefix partnerName } }',
    variables: (target: Target) => ({ restaurantId: target.restaurantId }),
  },
  createApiKey: {
    query: 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }',
    variables: (target: Target) => ({ input: { restaurantId: target.restaurantId, partnerName: 'IntruderCo', scopes: ['MENU_READ'] } }),
  },
  revokeApiKey: {
    query: 'mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }',
    variables: (target: Target) => ({ id: target.apiKeyId }),
  },
} as const;
type Operation = keyof typeof operations;

/** What an operation aims at: a restaurant (by id) and one of its API keys. */
interface Target {
  restaurantId: string;
  apiKeyId: string;
}

describe('authorization (@auth and @scope)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  const prisma = () => server.infra.db.prisma;

  /** A restaurant with two menu items (one unavailable) and an API key seeded straight into the table. */
  async function aTenant() {
    const { restaurant, categories } = await aRestaurant(prisma()).withCategory('Mains', 2, { unavailable: 1 }).build();
    const apiKey = await prisma().apiKey.create({
      data: {
        restaurantId: restaurant.id,
        partnerName: 'SeededCo',
        prefix: 'sk_seeded00',
        keyHash: createHash('sha256').update(randomBytes(32)).digest('hex'),
        scopes: ['menu:read'],
      },
    });
    return { restaurant, items: categories[0]?.items ?? [], apiKey, target: { restaurantId: restaurant.id, apiKeyId: apiKey.id } };
  }

  async function member(restaurantId: string, role: Role) {
    const user = await aUser(prisma()).memberOf(restaurantId, role).build();
    return { user, headers: await server.loginAs(user.email) };
  }

  const run = (operation: Operation, target: Target, headers: Headers): Promise<GraphQLResponse<Json>> =>
    server.graphql<Json>(operations[operation].query, operations[operation].variables(target), headers);

  /** Everything an operation could write about these restaurants or by this actor (sign-ins aside). */
  async function writes(restaurantIds: string[], actorId: string) {
    return {
      apiKeys: await prisma().apiKey.findMany({ where: { restaurantId: { in: restaurantIds } }, select: { id: true, revokedAt: true } }),
      audit: await prisma().auditLog.count({
        where: { OR: [{ restaurantId: { in: restaurantIds } }, { actorId, NOT: { action: { startsWith: 'auth.' } } }] },
      }),
    };
  }

  const roles: Role[] = ['STAFF', 'MANAGER', 'OWNER'];
  const deniedAcrossTenants: Array<{ operation: Operation; code: 'FORBIDDEN' | 'NOT_FOUND' }> = [
    { operation: 'menuItems', code: 'FORBIDDEN' },
    { operation: 'apiKeys', code: 'FORBIDDEN' },
    { operation: 'createApiKey', code: 'FORBIDDEN' },
    { operation: 'revokeApiKey', code: 'NOT_FOUND' },
  ];

  describe('across tenants', () => {
    it.each(roles.flatMap((role) => deniedAcrossTenants.map((denial) => ({ role, ...denial }))))(
      'denies an $role of restaurant A $operation on restaurant B with $code, and writes nothing',
      async ({ role, operation, code }) => {
        const a = await aTenant();
        const b = await aTenant();
        const { user, headers } = await member(a.restaurant.id, role);
        const before = await writes([a.restaurant.id, b.restaurant.id], user.id);

        const { status, body } = await run(operation, b.target, headers);

        expect(status).toBe(200);
        expect(body.data).toBeNull();
        expect(body.errors).toHaveLength(1);
        expect(body.errors?.[0]?.extensions?.code).toBe(code);
        expect(body.errors?.[0]?.path).toEqual([operation]);
        if (code === 'NOT_FOUND') expect(body.errors?.[0]?.message).toBe(`ApiKey "${b.apiKey.id}" was not found.`);
        const leaked = JSON.stringify(body);
        for (const secretThing of [...b.items.map((item) => item.id), b.apiKey.prefix, 'SeededCo'])
          expect(leaked).not.toContain(secretThing);
        expect(await writes([a.restaurant.id, b.restaurant.id], user.id)).toEqual(before);
      },
    );

    it.each(['menuItems', 'apiKeys', 'createApiKey'] as const)(
      'answers %s for a restaurant that does not exist exactly as for another tenant (no existence leak)',
      async (operation) => {
        const a = await aTenant();
        const b = await aTenant();
        const { headers } = await member(a.restaurant.id, 'OWNER');
        const missing = { restaurantId: `${b.restaurant.id.slice(0, -4)}zzzz`, apiKeyId: b.apiKey.id };

        const foreign = await run(operation, b.target, headers);
        const nonexistent = await run(operation, missing, headers);

        expect(foreign.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(nonexistent.status).toBe(foreign.status);
        expect(comparable(nonexistent.body)).toEqual(comparable(foreign.body));
      },
    );

    it("confines a partner key with menu:read to its own restaurant's menu", async () => {
      const a = await aTenant();
      const b = await aTenant();
      const owner = await member(a.restaurant.id, 'OWNER');
      const created = await run('createApiKey', a.target, owner.headers);
      const secret: string = created.body.data.createApiKey.secret;
      const asPartner = async (restaurantId: string) => {
        const response = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': secret },
          body: JSON.stringify({
            variables: { restaurantId, first: 10 },
            extensions: { persistedQuery: { version: 1, sha256Hash: partnerMenuItemsId } },
          }),
        });
        return readJson(response);
      };

      const own = await asPartner(a.restaurant.id);
      const foreign = await asPartner(b.restaurant.id);
      const nonexistent = await asPartner(`${b.restaurant.id.slice(0, -4)}zzzz`);

      expect(own.data.menuItems.map((item: Json) => item.id)).toEqual(a.items.map((item) => item.id));
      expect(foreign.data).toBeNull();
      expect(foreign.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(comparable(nonexistent)).toEqual(comparable(foreign));
    });
  });

  describe('role order STAFF < MANAGER < OWNER, within one restaurant', () => {
    const outcomes: Record<Operation, Record<Role, 'allowed' | 'FORBIDDEN' | 'NOT_FOUND'>> = {
      menuItems: { STAFF: 'allowed', MANAGER: 'allowed', OWNER: 'allowed' },
      apiKeys: { STAFF: 'FORBIDDEN', MANAGER: 'FORBIDDEN', OWNER: 'allowed' },
      createApiKey: { STAFF: 'FORBIDDEN', MANAGER: 'FORBIDDEN', OWNER: 'allowed' },
      revokeApiKey: { STAFF: 'NOT_FOUND', MANAGER: 'NOT_FOUND', OWNER: 'allowed' },
    };
    const cases = (Object.keys(outcomes) as Operation[]).flatMap((operation) =>
      roles.map((role) => ({ operation, role, outcome: outcomes[operation][role] })),
    );

    it.each(cases)('$operation as $role of the restaurant: $outcome', async ({ operation, role, outcome }) => {
      const tenant = await aTenant();
      const { user, headers } = await member(tenant.restaurant.id, role);
      const before = await writes([tenant.restaurant.id], user.id);

      const { body } = await run(operation, tenant.target, headers);

      if (outcome === 'allowed') {
        expect(body.errors).toBeUndefined();
        expect(body.data[operation]).toBeTruthy();
        if (operation === 'menuItems')
          expect(body.data.menuItems.map((item: Json) => item.id)).toEqual(tenant.items.map((item) => item.id));
        if (operation === 'apiKeys') expect(body.data.apiKeys.map((key: Json) => key.id)).toEqual([tenant.apiKey.id]);
        return;
      }
      expect(body.data).toBeNull();
      expect(body.errors?.[0]?.extensions?.code).toBe(outcome);
      expect(await writes([tenant.restaurant.id], user.id)).toEqual(before);
    });

    it('follows a role change at once: a demoted owner loses apiKeys on the next request', async () => {
      const tenant = await aTenant();
      const { user, headers } = await member(tenant.restaurant.id, 'OWNER');
      expect((await run('apiKeys', tenant.target, headers)).body.data.apiKeys).toHaveLength(1);

      // Demoted by another owner through the API, which also invalidates the cached permissions.
      const other = await member(tenant.restaurant.id, 'OWNER');
      const demotion = await server.graphql<Json>(
        'mutation($input: ChangeMemberRoleInput!) { changeMemberRole(input: $input) { role } }',
        { input: { restaurantId: tenant.restaurant.id, userId: user.id, role: 'MANAGER' } },
        other.headers,
      );
      expect(demotion.body.data?.changeMemberRole.role).toBe('MANAGER');
      const { body } = await run('apiKeys', tenant.target, headers);

      expect(body.data).toBeNull();
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('platform administrators', () => {
    it.each(Object.keys(operations) as Operation[])('pass %s on a restaurant they are no member of', async (operation) => {
      const tenant = await aTenant();
      const admin = await aUser(prisma()).admin().build();
      const headers = await server.loginAs(admin.email);

      const { body } = await run(operation, tenant.target, headers);

      expect(body.errors).toBeUndefined();
      expect(body.data[operation]).toBeTruthy();
      if (operation === 'menuItems') expect(body.data.menuItems).toHaveLength(2);
      if (operation === 'apiKeys') expect(body.data.apiKeys[0].id).toBe(tenant.apiKey.id);
      if (operation === 'revokeApiKey') expect(body.data.revokeApiKey.revokedAt).not.toBeNull();
      if (operation === 'createApiKey') {
        expect(await prisma().apiKey.count({ where: { restaurantId: tenant.restaurant.id } })).toBe(2);
      }
    });

    it('get a client error, not an internal one, when creating a key for a restaurant that does not exist', async () => {
      const admin = await aUser(prisma()).admin().build();
      const headers = await server.loginAs(admin.email);
      const missing = `missing-${randomBytes(6).toString('hex')}`;

      const { body } = await run('createApiKey', { restaurantId: missing, apiKeyId: '' }, headers);

      expect(body.data).toBeNull();
      expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(body.errors?.[0]?.extensions?.code);
      expect(body.errors?.[0]?.message).toContain(missing);
      expect(await prisma().auditLog.count({ where: { actorId: admin.id, action: 'apiKey.create' } })).toBe(0);
    });
  });

  describe('federation: _entities for User', () => {
    const entitiesQuery = /* GraphQL */ `
      query Users($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on User { id email }
        }
      }
    `;
    const usersAsSeenBy = async (ids: string[], headers: Headers = {}) => {
      const { body } = await server.graphql<Json>(
        entitiesQuery,
        { representations: ids.map((id) => ({ __typename: 'User', id })) },
        headers,
      );
      expect(body.errors).toBeUndefined();
      return (body.data._entities as Array<{ id: string } | null>).map((entity) => entity?.id ?? null);
    };

    it('shows a user only to themselves, to members of a shared restaurant, and to platform admins', async () => {
      const a = await aTenant();
      const b = await aTenant();
      const c = await aTenant();
      const viewer = await member(a.restaurant.id, 'STAFF');
      const colleague = await aUser(prisma()).memberOf(a.restaurant.id, 'OWNER').memberOf(c.restaurant.id, 'STAFF').build();
      const stranger = await aUser(prisma()).memberOf(b.restaurant.id, 'OWNER').build();
      const loner = await aUser(prisma()).build();
      const admin = await aUser(prisma()).admin().build();
      const ids = [viewer.user.id, colleague.id, stranger.id, loner.id, 'no-such-user'];

      expect(await usersAsSeenBy(ids, viewer.headers)).toEqual([viewer.user.id, colleague.id, null, null, null]);
      expect(await usersAsSeenBy(ids, await server.loginAs(stranger.email))).toEqual([null, null, stranger.id, null, null]);
      expect(await usersAsSeenBy(ids, await server.loginAs(loner.email))).toEqual([null, null, null, loner.id, null]);
      expect(await usersAsSeenBy(ids, await server.loginAs(admin.email))).toEqual([
        viewer.user.id,
        colleague.id,
        stranger.id,
        loner.id,
        null,
      ]);
      expect(await usersAsSeenBy(ids)).toEqual([null, null, null, null, null]);
    });

    it("shows a colleague's memberships only in the restaurants the viewer shares with them", async () => {
      const a = await aTenant();
      const c = await aTenant();
      const viewer = await member(a.restaurant.id, 'STAFF');
      const colleague = await aUser(prisma()).memberOf(a.restaurant.id, 'OWNER').memberOf(c.restaurant.id, 'STAFF').build();
      const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { memberships { restaurant { id } } } } }';
      const membershipsSeenBy = async (headers: Headers) => {
        const { body } = await server.graphql<Json>(query, { r: [{ __typename: 'User', id: colleague.id }] }, headers);
        return (body.data._entities[0].memberships as Json[]).map((membership) => membership.restaurant.id).sort();
      };

      expect(await membershipsSeenBy(viewer.headers)).toEqual([a.restaurant.id]);
      expect(await membershipsSeenBy(await server.loginAs(colleague.email))).toEqual([a.restaurant.id, c.restaurant.id].sort());
    });
  });
});
