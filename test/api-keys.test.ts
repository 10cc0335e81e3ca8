import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PersistedQueryManifest } from '../src/plugins/persisted-queries/manifest.js';
import { manifestPath } from '../src/plugins/persisted-queries/paths.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { countStatements, type Json, readJson, startTestServer, type TestServer } from './testkit/test-server.js';

const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as PersistedQueryManifest;
const manifestId = (name: string) => {
  const found = manifest.operations.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no ${name} in the manifest`);
  return found.id;
};

const createMutation = /* GraphQL */ `
  mutation CreateKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      secret
      apiKey { id prefix scopes partnerName createdAt lastUsedAt expiresAt revokedAt }
    }
  }
`;

const listQuery = /* GraphQL */ `
  query Keys($restaurantId: ID!) {
    apiKeys(restaurantId: $restaurantId) { id partnerName prefix scopes createdAt lastUsedAt expiresAt revokedAt }
  }
`;

const revokeMutation = /* GraphQL */ `
  mutation Revoke($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt }
  }
`;

type Count = Array<{ n: number }>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('partner API keys', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  const prisma = () => server.infra.db.prisma;

  /** A restaurant with three menu items (the first unavailable) and its owner, signed in. */
  async function ownedRestaurant() {
    const { restaurant, categories } = await aRestaurant(prisma()).withCategory('Mains', 3, { unavailable: 1 }).build();
    const owner = await aUser(prisma()).memberOf(restaurant.id, 'OWNER').build();
    return { restaurant, items: categories[0]?.items ?? [], owner, asOwner: await server.loginAs(owner.email) };
  }

  const createKey = (input: Record<string, unknown>, headers: Record<string, string> = {}) =>
    server.graphql<Json>(createMutation, { input: { partnerName: 'DeliveryCo', scopes: ['MENU_READ'], ...input } }, headers);

  async function keyFor(restaurantId: string, headers: Record<string, string>, input: Record<string, unknown> = {}) {
    const { body } = await createKey({ restaurantId, ...input }, headers);
    if (!body.data) throw new Error(`createApiKey failed: ${JSON.stringify(body.errors)}`);
    return body.data.createApiKey as { secret: string; apiKey: { id: string; prefix: string } };
  }

  /** A partner request: a manifest operation sent by id, as the partner manifest requires. */
  async function partner(name: string, variables: Record<string, unknown>, secret: string) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': server.clientIp, 'x-api-key': secret },
      body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: manifestId(name) } } }),
    });
    return { status: response.status, headers: response.headers, body: await readJson(response) };
  }

  /** How many rows of `table` contain `needle` anywhere, in any column. */
  async function rowsContaining(table: 'ApiKey' | 'AuditLog', needle: string): Promise<number> {
    const [row] =
      table === 'ApiKey'
        ? await prisma().$queryRaw<Count>`SELECT count(*)::int AS n FROM "ApiKey" AS t WHERE strpos(t::text, ${needle}) > 0`
        : await prisma().$queryRaw<Count>`SELECT count(*)::int AS n FROM "AuditLog" AS t WHERE strpos(t::text, ${needle}) > 0`;
    return row?.n ?? -1;
  }

  /** What a denied attempt must leave untouched: the restaurant's keys, its audit rows, the actor's non-sign-in audit rows. */
  async function writesFor(restaurantId: string, actorId?: string) {
    return {
      apiKeys: await prisma().apiKey.count({ where: { restaurantId } }),
      audit: await prisma().auditLog.count({
        where: { OR: [{ restaurantId }, ...(actorId ? [{ actorId, NOT: { action: { startsWith: 'auth.' } } }] : [])] },
      }),
    };
  }

  describe('createApiKey', () => {
    it('gives an owner the secret once, and stores only its digest', async () => {
      const { restaurant, asOwner } = await ownedRestaurant();

      const { status, body } = await createKey({ restaurantId: restaurant.id, partnerName: 'DeliveryCo' }, asOwner);

      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      const { secret, apiKey } = body.data.createApiKey;
      expect(secret).toMatch(/^sk_[\w-]{40,}$/);
      expect(apiKey).toMatchObject({ prefix: secret.slice(0, 11), scopes: ['MENU_READ'], partnerName: 'DeliveryCo', revokedAt: null });
      expect(apiKey.prefix).toHaveLength(11);
      // Not retrievable afterwards: the list shows the prefix, never the secret.
      const listed = await server.graphql<Json>(listQuery, { restaurantId: restaurant.id }, asOwner);
      expect(listed.body.data.apiKeys).toEqual([
        expect.objectContaining({ id: apiKey.id, prefix: apiKey.prefix, partnerName: 'DeliveryCo' }),
      ]);
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      // Stored as its SHA-256 only: no column of any key or audit row holds the secret.
      const row = await prisma().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
      expect(row.keyHash).toBe(sha256(secret));
      expect(row.scopes).toEqual(['menu:read']);
      expect(await rowsContaining('ApiKey', secret)).toBe(0);
      expect(await rowsContaining('AuditLog', secret)).toBe(0);
      expect(await rowsContaining('ApiKey', sha256(secret))).toBe(1);
    });

    it('writes the apiKey.create audit row in the same transaction as the key', async () => {
      const { restaurant, owner, asOwner } = await ownedRestaurant();

      let response: Awaited<ReturnType<typeof createKey>> | undefined;
      const statements = await countStatements(server, async () => {
        response = await createKey({ restaurantId: restaurant.id }, asOwner);
      });

      const created = response?.body.data.createApiKey;
      const audit = await prisma().auditLog.findMany({ where: { entityType: 'ApiKey', entityId: created.apiKey.id } });
      expect(audit).toEqual([
        expect.objectContaining({
          action: 'apiKey.create',
          restaurantId: restaurant.id,
          actorId: owner.id,
          requestId: response?.headers.get('x-request-id'),
          ip: server.clientIp,
          after: { partnerName: 'DeliveryCo', scopes: ['menu:read'], prefix: created.apiKey.prefix },
        }),
      ]);
      // Both inserts go out before the transaction's one commit.
      const insertKey = statements.findIndex((sql) => sql.startsWith('INSERT INTO "public"."ApiKey"'));
      const insertAudit = statements.findIndex((sql) => sql.startsWith('INSERT INTO "public"."AuditLog"'));
      const commits = statements.flatMap((sql, index) => (/COMMIT/.test(sql) ? [index] : []));
      expect(insertKey).toBeGreaterThanOrEqual(0);
      expect(insertAudit).toBeGreaterThan(insertKey);
      expect(commits.filter((index) => index > insertKey)).toHaveLength(1);
      expect(commits.find((index) => index > insertKey)).toBeGreaterThan(insertAudit);
    });

    it('keeps no key when its audit row cannot be written', async () => {
      const { restaurant, owner, asOwner } = await ownedRestaurant();
      // A trigger refuses this one audit row (marked by its partner name), as a failing write would.
      await prisma().$executeRaw`
        CREATE OR REPLACE FUNCTION servio_test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.action = 'apiKey.create' AND NEW.after->>'partnerName' = 'AuditMustFail' THEN
            RAISE EXCEPTION 'audit write refused by the test';
          END IF;
          RETURN NEW;
        END $$`;
      await prisma().$executeRaw`
        CREATE TRIGGER servio_test_refuse_audit BEFORE INSERT ON "AuditLog" FOR EACH ROW EXECUTE FUNCTION servio_test_refuse_audit()`;
      try {
        const { body } = await createKey({ restaurantId: restaurant.id, partnerName: 'AuditMustFail' }, asOwner);

        expect(body.data).toBeNull();
        expect(body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
        expect(await writesFor(restaurant.id, owner.id)).toEqual({ apiKeys: 0, audit: 0 });
      } finally {
        await prisma().$executeRaw`DROP TRIGGER IF EXISTS servio_test_refuse_audit ON "AuditLog"`;
        await prisma().$executeRaw`DROP FUNCTION IF EXISTS servio_test_refuse_audit()`;
      }
    });

    it.each(['MANAGER', 'STAFF'] as const)('refuses a %s: FORBIDDEN, and nothing is written', async (role) => {
      const { restaurant } = await ownedRestaurant();
      const member = await aUser(prisma()).memberOf(restaurant.id, role).build();
      const before = await writesFor(restaurant.id, member.id);

      const { body } = await createKey({ restaurantId: restaurant.id }, await server.loginAs(member.email));

      expect(body.data).toBeNull();
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await writesFor(restaurant.id, member.id)).toEqual(before);
      expect(before.apiKeys).toBe(0);
    });

    it('refuses the owner of another restaurant: FORBIDDEN, and nothing is written', async () => {
      const { restaurant } = await ownedRestaurant();
      const other = await ownedRestaurant();
      const before = await writesFor(restaurant.id, other.owner.id);

      const { body } = await createKey({ restaurantId: restaurant.id }, other.asOwner);

      expect(body.data).toBeNull();
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await writesFor(restaurant.id, other.owner.id)).toEqual(before);
      expect(await prisma().apiKey.count({ where: { restaurantId: other.restaurant.id } })).toBe(0);
    });

    it('refuses an anonymous caller with UNAUTHENTICATED, and nothing is written', async () => {
      const { restaurant } = await ownedRestaurant();

      const { body } = await createKey({ restaurantId: restaurant.id });

      expect(body.data).toBeNull();
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(await writesFor(restaurant.id)).toEqual({ apiKeys: 0, audit: 0 });
    });

    it('lets a platform administrator create a key for any restaurant', async () => {
      const { restaurant } = await ownedRestaurant();
      const admin = await aUser(prisma()).admin().build();

      const { body } = await createKey({ restaurantId: restaurant.id, partnerName: 'AdminCo' }, await server.loginAs(admin.email));

      expect(body.errors).toBeUndefined();
      expect(body.data.createApiKey.apiKey).toMatchObject({ partnerName: 'AdminCo', scopes: ['MENU_READ'] });
      const row = await prisma().apiKey.findUniqueOrThrow({ where: { id: body.data.createApiKey.apiKey.id } });
      expect(row).toMatchObject({ restaurantId: restaurant.id, createdById: admin.id });
      expect(await prisma().auditLog.count({ where: { action: 'apiKey.create', entityId: row.id, actorId: admin.id } })).toBe(1);
    });

    it('lists keys newest first, each scope once', async () => {
      const { restaurant, asOwner } = await ownedRestaurant();
      const older = await keyFor(restaurant.id, asOwner, { partnerName: 'OlderCo' });
      const newer = await keyFor(restaurant.id, asOwner, { partnerName: 'NewerCo', scopes: ['MENU_READ', 'MENU_READ', 'ORDERS_READ'] });

      const { body } = await server.graphql<Json>(listQuery, { restaurantId: restaurant.id }, asOwner);

      expect(body.data.apiKeys.map((key: Json) => [key.id, key.partnerName, key.scopes])).toEqual([
        [newer.apiKey.id, 'NewerCo', ['MENU_READ', 'ORDERS_READ']],
        [older.apiKey.id, 'OlderCo', ['MENU_READ']],
      ]);
    });

    describe('validation', () => {
      it.each([
        { name: 'an empty partnerName', input: { partnerName: '' }, field: 'input.partnerName' },
        { name: 'a blank partnerName', input: { partnerName: '   \t ' }, field: 'input.partnerName' },
        { name: 'a partnerName of markup only', input: { partnerName: '<b></b><script>x</script>' }, field: 'input.partnerName' },
        { name: 'a partnerName over 100 characters', input: { partnerName: 'x'.repeat(101) }, field: 'input.partnerName' },
        { name: 'no scopes', input: { scopes: [] }, field: 'input.scopes' },
        { name: 'an expiry in the past', input: { expiresAt: new Date(Date.now() - 60_000).toISOString() }, field: 'input.expiresAt' },
      ])('refuses $name with BAD_USER_INPUT on $field, and writes nothing', async ({ input, field }) => {
        const { restaurant, owner, asOwner } = await ownedRestaurant();

        const { body } = await createKey({ restaurantId: restaurant.id, ...input }, asOwner);

        expect(body.data).toBeNull();
        expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
        expect(body.errors?.[0]?.message).toContain(field);
        expect(await writesFor(restaurant.id, owner.id)).toEqual({ apiKeys: 0, audit: 0 });
      });

      it('accepts an expiry in the future', async () => {
        const { restaurant, asOwner } = await ownedRestaurant();
        const expiresAt = new Date(Date.now() + 86_400_000).toISOString();

        const { body } = await createKey({ restaurantId: restaurant.id, expiresAt }, asOwner);

        expect(body.data.createApiKey.apiKey.expiresAt).toBe(expiresAt);
      });

      it('stores a partnerName with markup as plain text', async () => {
        const { restaurant, asOwner } = await ownedRestaurant();

        const { body } = await createKey(
          { restaurantId: restaurant.id, partnerName: '<img src=x onerror=alert(1)>Deliver<b>Co</b><script>alert(1)</script>' },
          asOwner,
        );

        expect(body.data.createApiKey.apiKey.partnerName).toBe('DeliverCo');
        const row = await prisma().apiKey.findUniqueOrThrow({ where: { id: body.data.createApiKey.apiKey.id } });
        expect(row.partnerName).toBe('DeliverCo');
        expect(row.partnerName).not.toContain('<');
      });
    });
  });

  describe('using a key', () => {
    it('runs PartnerMenuItems for its own restaurant, unavailable items included, and records lastUsedAt', async () => {
      const { restaurant, items, asOwner } = await ownedRestaurant();
      const { secret, apiKey } = await keyFor(restaurant.id, asOwner);
      expect((await prisma().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt).toBeNull();
      const usedFrom = Date.now() - 1000;

      const { status, body } = await partner('PartnerMenuItems', { restaurantId: restaurant.id, first: 10 }, secret);

      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.menuItems.map((item: Json) => item.id)).toEqual(items.map((item) => item.id));
      expect(body.data.menuItems.map((item: Json) => item.available)).toEqual([false, true, true]);
      await vi.waitFor(
        async () => {
          const row = await prisma().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
          expect(row.lastUsedAt?.getTime()).toBeGreaterThanOrEqual(usedFrom);
        },
        { timeout: 5000, interval: 50 },
      );
      const listed = await server.graphql<Json>(listQuery, { restaurantId: restaurant.id }, asOwner);
      expect(listed.body.data.apiKeys[0].lastUsedAt).not.toBeNull();
    });

    it("refuses another restaurant's menu with FORBIDDEN", async () => {
      const { restaurant, asOwner } = await ownedRestaurant();
      const other = await ownedRestaurant();
      const { secret } = await keyFor(restaurant.id, asOwner);

      const { status, body } = await partner('PartnerMenuItems', { restaurantId: other.restaurant.id, first: 10 }, secret);

      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(JSON.stringify(body)).not.toContain(other.items[0]?.id);
    });

    it('refuses the menu to a key without the MENU_READ scope', async () => {
      const { restaurant, asOwner } = await ownedRestaurant();
      const { secret } = await keyFor(restaurant.id, asOwner, { scopes: ['ORDERS_READ', 'INVENTORY_READ'] });

      const { body } = await partner('PartnerMenuItems', { restaurantId: restaurant.id, first: 10 }, secret);

      expect(body.data).toBeNull();
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(body.errors[0].message).toContain('menu:read');
    });

    it('refuses an ad-hoc document, even one its scope would allow, with PERSISTED_QUERY_NOT_ALLOWED', async () => {
      const { restaurant, asOwner } = await ownedRestaurant();
      const { secret } = await keyFor(restaurant.id, asOwner);
      const adHoc = 'query($restaurantId: ID!) { menuItems(restaurantId: $restaurantId, first: 10) { id } }';

      const { status, body } = await server.graphql<Json>(adHoc, { restaurantId: restaurant.id }, { 'x-api-key': secret });

      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    });

    it('stops working once the owner revokes it: HTTP 401', async () => {
      const { restaurant, owner, asOwner } = await ownedRestaurant();
      const { secret, apiKey } = await keyFor(restaurant.id, asOwner);
      expect((await partner('PartnerMenuItems', { restaurantId: restaurant.id, first: 10 }, secret)).body.data.menuItems).toHaveLength(3);

      const revoked = await server.graphql<Json>(revokeMutation, { id: apiKey.id }, asOwner);

      expect(revoked.body.errors).toBeUndefined();
      expect(revoked.body.data.revokeApiKey.id).toBe(apiKey.id);
      expect(revoked.body.data.revokeApiKey.revokedAt).not.toBeNull();
      const after = await partner('PartnerMenuItems', { restaurantId: restaurant.id, first: 10 }, secret);
      expect(after.status).toBe(401);
      expect(after.body.data ?? null).toBeNull();
      expect(after.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(await prisma().auditLog.count({ where: { action: 'apiKey.revoke', entityId: apiKey.id, actorId: owner.id } })).toBe(1);
      // Revoking again changes nothing and writes nothing.
      const again = await server.graphql<Json>(revokeMutation, { id: apiKey.id }, asOwner);
      expect(again.body.data.revokeApiKey.revokedAt).toBe(revoked.body.data.revokeApiKey.revokedAt);
      expect(await prisma().auditLog.count({ where: { action: 'apiKey.revoke', entityId: apiKey.id } })).toBe(1);
    });

    it('stops working once it expires: HTTP 401', async () => {
      const { restaurant, asOwner } = await ownedRestaurant();
      const { secret, apiKey } = await keyFor(restaurant.id, asOwner);
      await prisma().apiKey.update({ where: { id: apiKey.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

      const { status, body } = await partner('PartnerMenuItems', { restaurantId: restaurant.id, first: 10 }, secret);

      expect(status).toBe(401);
      expect(body.data ?? null).toBeNull();
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });

    it('refuses an unknown key with HTTP 401', async () => {
      const { status, body } = await partner('PartnerPublicMenu', { slug: 'anything' }, 'sk_not-a-key-this-server-ever-issued');

      expect(status).toBe(401);
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('revokeApiKey', () => {
    it("answers another tenant's key id exactly like an unknown one: NOT_FOUND naming the id", async () => {
      const { restaurant, asOwner } = await ownedRestaurant();
      const other = await ownedRestaurant();
      const { secret, apiKey } = await keyFor(restaurant.id, asOwner);
      const unknownId = `${apiKey.id.slice(0, -4)}zzzz`;
      const before = await writesFor(restaurant.id, other.owner.id);

      const foreign = await server.graphql<Json>(revokeMutation, { id: apiKey.id }, other.asOwner);
      const unknown = await server.graphql<Json>(revokeMutation, { id: unknownId }, other.asOwner);

      for (const [response, id] of [
        [foreign, apiKey.id],
        [unknown, unknownId],
      ] as const) {
        expect(response.body.data).toBeNull();
        expect(response.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
        expect(response.body.errors?.[0]?.message).toContain(id);
      }
      expect(foreign.body.errors?.[0]?.message.replace(apiKey.id, '<id>')).toBe(
        unknown.body.errors?.[0]?.message.replace(unknownId, '<id>'),
      );
      expect(Object.keys(foreign.body.errors?.[0]?.extensions ?? {}).sort()).toEqual(
        Object.keys(unknown.body.errors?.[0]?.extensions ?? {}).sort(),
      );
      expect(await writesFor(restaurant.id, other.owner.id)).toEqual(before);
      expect((await prisma().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).revokedAt).toBeNull();
      expect((await partner('PartnerMenuItems', { restaurantId: restaurant.id, first: 10 }, secret)).status).toBe(200);
    });
  });
});
