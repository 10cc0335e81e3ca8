import { createHash } from 'node:crypto';
import { decodeJwt, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetCachedAccess } from './testkit/permission-cache.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type Json, startTestServer, type TestServer, testPassword } from './testkit/test-server.js';

const loginMutation = /* GraphQL */ `
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      accessToken
      refreshToken
      expiresAt
      user { id email }
    }
  }
`;

const refreshMutation = /* GraphQL */ `
  mutation Refresh($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) {
      accessToken
      refreshToken
      expiresAt
      user { id email }
    }
  }
`;

const logoutMutation = /* GraphQL */ `
  mutation Logout($refreshToken: String!) {
    logout(refreshToken: $refreshToken)
  }
`;

const meQuery = /* GraphQL */ `
  query Me {
    me {
      id
      email
      isAdmin
      memberships { role restaurant { id slug name } }
    }
  }
`;

interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  user: { id: string; email: string };
}

type Count = Array<{ n: number }>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('identity', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  const prisma = () => server.infra.db.prisma;

  async function login(email: string, password = testPassword, headers: Record<string, string> = {}) {
    const response = await server.graphql<{ login: Session }>(loginMutation, { email, password }, headers);
    const session = response.body.data?.login;
    return { ...response, session };
  }

  async function signIn(email: string): Promise<Session> {
    const { session, body } = await login(email);
    if (!session) throw new Error(`login as ${email} failed: ${JSON.stringify(body.errors)}`);
    return session;
  }

  const refresh = (refreshToken: string, headers: Record<string, string> = {}) =>
    server.graphql<{ refreshSession: Session }>(refreshMutation, { refreshToken }, headers);

  /** How many rows of `table` contain `needle` anywhere, in any column. */
  async function rowsContaining(table: 'RefreshToken' | 'AuditLog', needle: string): Promise<number> {
    const [row] =
      table === 'RefreshToken'
        ? await prisma().$queryRaw<Count>`SELECT count(*)::int AS n FROM "RefreshToken" AS t WHERE strpos(t::text, ${needle}) > 0`
        : await prisma().$queryRaw<Count>`SELECT count(*)::int AS n FROM "AuditLog" AS t WHERE strpos(t::text, ${needle}) > 0`;
    return row?.n ?? -1;
  }

  describe('login and me', () => {
    it('returns a session whose access token reads me, with memberships', async () => {
      const { restaurant } = await aRestaurant(prisma()).build();
      const user = await aUser(prisma()).memberOf(restaurant.id, 'MANAGER').build();
      const before = Date.now();

      const { status, session } = await login(user.email);

      expect(status).toBe(200);
      expect(session).toMatchObject({ user: { id: user.id, email: user.email } });
      expect(session?.accessToken.split('.')).toHaveLength(3);
      expect(session?.refreshToken).toMatch(/^rt_[\w-]{40,}$/);
      const me = await server.graphql<Json>(meQuery, {}, bearer(session?.accessToken ?? ''));
      expect(me.body.errors).toBeUndefined();
      expect(me.body.data.me).toEqual({
        id: user.id,
        email: user.email,
        isAdmin: false,
        memberships: [{ role: 'MANAGER', restaurant: { id: restaurant.id, slug: restaurant.slug, name: restaurant.name } }],
      });
      // The access token lives about 15 minutes, and expiresAt says so.
      const expiresAt = new Date(session?.expiresAt ?? 0).getTime();
      expect(expiresAt - before).toBeGreaterThan(14 * 60_000);
      expect(expiresAt - before).toBeLessThanOrEqual(15 * 60_000 + 5_000);
      expect((decodeJwt(session?.accessToken ?? '').exp ?? 0) * 1000).toBe(Math.floor(expiresAt / 1000) * 1000);
    });

    it("shows the signed-in user's memberships in the login payload, as me does", async () => {
      const { restaurant } = await aRestaurant(prisma()).build();
      const user = await aUser(prisma()).memberOf(restaurant.id, 'STAFF').build();

      const { body } = await server.graphql<Json>(
        'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { user { id memberships { role restaurant { id } } } } }',
        { e: user.email, p: testPassword },
      );

      expect(body.errors).toBeUndefined();
      expect(body.data.login.user).toEqual({ id: user.id, memberships: [{ role: 'STAFF', restaurant: { id: restaurant.id } }] });
    });

    it('answers a wrong password and an unknown email alike: UNAUTHENTICATED, same message, no data', async () => {
      const user = await aUser(prisma()).build();

      const wrongPassword = await login(user.email, 'not the password');
      const unknownEmail = await login(`nobody-${user.id}@servio.test`, testPassword);

      for (const { body } of [wrongPassword, unknownEmail]) {
        expect(body.data).toBeNull();
        expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }
      expect(wrongPassword.body.errors?.[0]?.message).toBe(unknownEmail.body.errors?.[0]?.message);
      expect(wrongPassword.body.errors?.[0]?.message).not.toMatch(/password is wrong|no such|not found|unknown/i);
    });

    it('treats the email case-insensitively', async () => {
      const user = await aUser(prisma()).build();

      const upper = await login(user.email.toUpperCase());
      const padded = await login(`  ${user.email.replace(/^u/, 'U')}  `);

      expect(upper.session?.user).toEqual({ id: user.id, email: user.email });
      expect(padded.session?.user.id).toBe(user.id);
    });

    it('stores passwords as argon2id hashes', async () => {
      const user = await aUser(prisma()).build();

      const row = await prisma().user.findUniqueOrThrow({ where: { id: user.id } });

      expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$/);
      expect(row.passwordHash).not.toContain(testPassword);
      expect((await login(user.email)).session?.user.id).toBe(user.id);
    });

    it('stores refresh tokens only as a SHA-256 digest', async () => {
      const user = await aUser(prisma()).build();

      const session = await signIn(user.email);

      const rows = await prisma().refreshToken.findMany({ where: { userId: user.id } });
      expect(rows).toHaveLength(1);
      expect(rows[0]?.tokenHash).toBe(sha256(session.refreshToken));
      expect(await rowsContaining('RefreshToken', session.refreshToken)).toBe(0);
      expect(await rowsContaining('AuditLog', session.refreshToken)).toBe(0);
      // The probe does find text that is there: the digest itself.
      expect(await rowsContaining('RefreshToken', sha256(session.refreshToken))).toBe(1);
    });

    it('answers an anonymous me with UNAUTHENTICATED', async () => {
      const { body } = await server.graphql<Json>(meQuery);

      expect(body.data).toBeNull();
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it("refuses a deleted user's still-valid access token", async () => {
      const user = await aUser(prisma()).build();
      const session = await signIn(user.email);
      expect((await server.graphql<Json>(meQuery, {}, bearer(session.accessToken))).body.data.me.id).toBe(user.id);

      // Permissions are cached (10 min): whatever deletes a user must invalidate them, as membership changes do.
      await prisma().user.delete({ where: { id: user.id } });
      await forgetCachedAccess(server, [user.id]);
      const { status, body } = await server.graphql<Json>(meQuery, {}, bearer(session.accessToken));

      // Refused at authentication, before any resolver and before the response cache.
      expect(status).toBe(401);
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('refreshSession', () => {
    it('rotates the refresh token: the new pair works, the old token is used up', async () => {
      const user = await aUser(prisma()).build();
      const first = await signIn(user.email);

      const rotated = await refresh(first.refreshToken);

      expect(rotated.body.errors).toBeUndefined();
      const second = rotated.body.data?.refreshSession;
      expect(second?.user).toEqual({ id: user.id, email: user.email });
      expect(second?.refreshToken).not.toBe(first.refreshToken);
      expect(second?.accessToken).not.toBe(first.accessToken);
      const me = await server.graphql<Json>(meQuery, {}, bearer(second?.accessToken ?? ''));
      expect(me.body.data.me.id).toBe(user.id);
      const third = await refresh(second?.refreshToken ?? '');
      expect(third.body.data?.refreshSession.user.id).toBe(user.id);
    });

    it('treats a replayed refresh token as theft: UNAUTHENTICATED "reused", and the whole family is revoked', async () => {
      const user = await aUser(prisma()).build();
      const stolen = await signIn(user.email);
      const otherDevice = await signIn(user.email);
      const rotated = (await refresh(stolen.refreshToken)).body.data?.refreshSession;
      expect(rotated?.refreshToken).toMatch(/^rt_/);
      // Past the grace window a concurrent duplicate gets (see below).
      await prisma().refreshToken.update({
        where: { tokenHash: sha256(stolen.refreshToken) },
        data: { revokedAt: new Date(Date.now() - 60_000) },
      });

      const replay = await refresh(stolen.refreshToken);

      expect(replay.body.data).toBeNull();
      expect(replay.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'reused' });
      // The token the rotation handed out dies with its family …
      const descendant = await refresh(rotated?.refreshToken ?? '');
      expect(descendant.body.data).toBeNull();
      expect(descendant.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const family = await prisma().refreshToken.findMany({ where: { tokenHash: sha256(stolen.refreshToken) } });
      const members = await prisma().refreshToken.findMany({ where: { familyId: family[0]?.familyId ?? '' } });
      expect(members).toHaveLength(2);
      expect(members.every((token) => token.revokedAt !== null)).toBe(true);
      // … and a session from another sign-in is a family of its own, untouched.
      const other = await refresh(otherDevice.refreshToken);
      expect(other.body.data?.refreshSession.user.id).toBe(user.id);
      const reuseAudit = await prisma().auditLog.count({ where: { action: 'auth.refresh_token_reuse', entityId: user.id } });
      expect(reuseAudit).toBeGreaterThanOrEqual(1);
    });

    it('serves a concurrent double refresh within the grace window: both get a working token, the session lives', async () => {
      const user = await aUser(prisma()).build();
      const session = await signIn(user.email);

      const answers = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);

      expect(answers.map(({ body }) => body.errors)).toEqual([undefined, undefined]);
      const tokens = answers.map(({ body }) => body.data?.refreshSession.refreshToken ?? '');
      expect(new Set(tokens).size).toBe(2);
      for (const token of tokens) expect((await refresh(token)).body.data?.refreshSession.user.id).toBe(user.id);
      expect(await prisma().auditLog.count({ where: { action: 'auth.refresh_token_reuse', entityId: user.id } })).toBe(0);
    });

    it('does not serve a rotated token once its session is logged out, even within the grace window', async () => {
      const user = await aUser(prisma()).build();
      const session = await signIn(user.email);
      const rotated = (await refresh(session.refreshToken)).body.data?.refreshSession;
      await server.graphql('mutation($t: String!) { logout(refreshToken: $t) }', { t: rotated?.refreshToken });

      const late = await refresh(session.refreshToken);

      expect(late.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'reused' });
    });

    it('refuses an expired refresh token with reason "expired"', async () => {
      const user = await aUser(prisma()).build();
      const session = await signIn(user.email);
      await prisma().refreshToken.update({
        where: { tokenHash: sha256(session.refreshToken) },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });

      const { body } = await refresh(session.refreshToken);

      expect(body.data).toBeNull();
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'expired' });
    });

    it('refuses a refresh token it never issued', async () => {
      const { body } = await refresh('rt_this-token-was-never-issued-by-servio-0123456789');

      expect(body.data).toBeNull();
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'invalid' });
    });
  });

  describe('logout', () => {
    it('ends the session: true, then the refresh token is refused', async () => {
      const user = await aUser(prisma()).build();
      const session = await signIn(user.email);

      const { body } = await server.graphql<{ logout: boolean }>(logoutMutation, { refreshToken: session.refreshToken });

      expect(body.errors).toBeUndefined();
      expect(body.data?.logout).toBe(true);
      const after = await refresh(session.refreshToken);
      expect(after.body.data).toBeNull();
      expect(after.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const row = await prisma().refreshToken.findUniqueOrThrow({ where: { tokenHash: sha256(session.refreshToken) } });
      expect(row.revokedAt).not.toBeNull();
    });

    it('answers true for a token it does not know', async () => {
      const { body } = await server.graphql<{ logout: boolean }>(logoutMutation, { refreshToken: 'rt_unknown' });

      expect(body.data?.logout).toBe(true);
    });
  });

  describe('bad access tokens', () => {
    const otherKey = new TextEncoder().encode('another-secret-that-is-long-enough-for-hs256-xyz');
    const claims = (sign: SignJWT) =>
      sign.setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer('servio-api').setAudience('servio-api');

    const cases: Array<{
      name: string;
      reason?: 'expired' | 'invalid';
      header: (ctx: { userId: string; valid: string; secret: Uint8Array }) => Promise<string>;
    }> = [
      {
        name: 'an expired token',
        reason: 'expired',
        header: async ({ userId, secret }) => {
          const past = Math.floor(Date.now() / 1000) - 3600;
          return `Bearer ${await claims(
            new SignJWT({})
              .setSubject(userId)
              .setIssuedAt(past - 900)
              .setExpirationTime(past),
          ).sign(secret)}`;
        },
      },
      {
        name: 'a token with a tampered payload',
        reason: 'invalid',
        header: async ({ valid }) => {
          const [header, payload, signature] = valid.split('.');
          const claimsRead = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
          const forged = Buffer.from(JSON.stringify({ ...claimsRead, sub: 'someone-else' })).toString('base64url');
          return `Bearer ${header}.${forged}.${signature}`;
        },
      },
      {
        name: 'an unsigned token (alg: none)',
        reason: 'invalid',
        header: async ({ userId }) => {
          const exp = Math.floor(Date.now() / 1000) + 600;
          return `Bearer ${new UnsecuredJWT({}).setSubject(userId).setIssuer('servio-api').setAudience('servio-api').setExpirationTime(exp).encode()}`;
        },
      },
      {
        name: 'a token signed with another key',
        reason: 'invalid',
        header: async ({ userId }) => `Bearer ${await claims(new SignJWT({}).setSubject(userId).setExpirationTime('10m')).sign(otherKey)}`,
      },
      {
        name: 'a token signed with the right key but another algorithm (HS512)',
        reason: 'invalid',
        header: async ({ userId, secret }) =>
          `Bearer ${await new SignJWT({})
            .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
            .setIssuer('servio-api')
            .setAudience('servio-api')
            .setSubject(userId)
            .setExpirationTime('10m')
            .sign(secret)}`,
      },
      {
        name: 'a token with the right key for another audience',
        reason: 'invalid',
        header: async ({ userId, secret }) =>
          `Bearer ${await new SignJWT({})
            .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
            .setIssuer('servio-api')
            .setAudience('some-other-service')
            .setSubject(userId)
            .setExpirationTime('10m')
            .sign(secret)}`,
      },
      { name: 'garbage', reason: 'invalid', header: async () => 'Bearer not-a-jwt-at-all' },
      { name: 'a non-Bearer Authorization header', header: async () => 'Basic dXNlcjpwYXNzd29yZA==' },
    ];

    it.each(cases)('answers $name with HTTP 401 UNAUTHENTICATED and keeps serving', async ({ header, reason }) => {
      const user = await aUser(prisma()).build();
      const valid = await signIn(user.email);
      const secret = new TextEncoder().encode(server.infra.config.jwtSecret ?? '');
      const authorization = await header({ userId: user.id, valid: valid.accessToken, secret });

      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: meQuery }),
      });
      const text = await response.text();
      const body: Json = JSON.parse(text);

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      expect(body.data ?? null).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      if (reason) expect(body.errors[0].extensions.reason).toBe(reason);
      else expect(body.errors[0].message).toMatch(/Bearer/);
      expect(text).not.toMatch(/stacktrace|\n\s+at |\.ts:\d+/);
      expect(text).not.toContain(user.email);
      // The server is still there, and the same user's real token still works.
      const me = await server.graphql<Json>(meQuery, {}, bearer(valid.accessToken));
      expect(me.status).toBe(200);
      expect(me.body.data.me.id).toBe(user.id);
    });

    it('refuses a request that sends both a bearer token and an API key', async () => {
      const user = await aUser(prisma()).build();
      const session = await signIn(user.email);

      const { status, headers, body } = await server.graphql<Json>(
        meQuery,
        {},
        { ...bearer(session.accessToken), 'x-api-key': 'sk_anything' },
      );

      expect(status).toBe(401);
      expect(headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('audit trail', () => {
    async function auditRow(action: string, userId: string, requestId: string | null) {
      return prisma().auditLog.findFirst({ where: { action, entityId: userId, requestId: requestId ?? '' } });
    }

    it('records login, refresh and logout with the request id and the client IP', async () => {
      const user = await aUser(prisma()).build();

      const loggedIn = await login(user.email);
      const refreshed = await refresh(loggedIn.session?.refreshToken ?? '');
      const refreshToken = refreshed.body.data?.refreshSession.refreshToken ?? '';
      const loggedOut = await server.graphql(logoutMutation, { refreshToken });

      for (const [action, response] of [
        ['auth.login', loggedIn],
        ['auth.refresh', refreshed],
        ['auth.logout', loggedOut],
      ] as const) {
        const requestId = response.headers.get('x-request-id');
        expect(requestId, action).toBeTruthy();
        const row = await auditRow(action, user.id, requestId);
        expect(row, action).toMatchObject({ entityType: 'User', entityId: user.id, actorId: user.id, ip: server.clientIp, requestId });
      }
      expect(
        await prisma().auditLog.count({ where: { entityId: user.id, action: { in: ['auth.login', 'auth.refresh', 'auth.logout'] } } }),
      ).toBe(3);
    });

    it('honours a caller-supplied x-request-id in the audit row', async () => {
      const user = await aUser(prisma()).build();
      const requestId = `gateway-${user.id}`;

      const { headers } = await login(user.email, testPassword, { 'x-request-id': requestId });

      expect(headers.get('x-request-id')).toBe(requestId);
      expect(await auditRow('auth.login', user.id, requestId)).toMatchObject({ ip: server.clientIp });
    });

    it('records nothing for a failed login', async () => {
      const user = await aUser(prisma()).build();

      await login(user.email, 'wrong');

      expect(await prisma().auditLog.count({ where: { entityId: user.id } })).toBe(0);
    });
  });
});
