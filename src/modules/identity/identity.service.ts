import { randomUUID } from 'node:crypto';
import type { AccessTokens } from '../../auth/access-tokens.js';
import { verifyPassword } from '../../auth/passwords.js';
import type { RequestScope } from '../../auth/request-scope.js';
import { digestSecret, generateSecret } from '../../auth/secrets.js';
import { UnauthenticatedError } from '../../errors.js';
import type { User } from '../../generated/prisma/client.js';
import type { Db, Tx } from '../../infra/db.js';
import { recordAudit } from '../audit/audit.service.js';

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  user: User;
}

const dayMs = 86_400_000;
/**
 * How long a just-rotated refresh token may be presented again (a second tab or a retried request
 * racing the first), as Auth0's and Okta's reuse intervals allow: it gets a fresh token of the same
 * session instead of revoking the whole session as a replay.
 */
export const refreshGraceMs = 30_000;

/** Sessions are audited as their own user, whoever (or nobody) the request was signed in as. */
function auditSession(tx: Tx, scope: RequestScope, userId: string, action: string): Promise<void> {
  return recordAudit(tx, { ...scope, viewer: { kind: 'user', userId } }, { action, entityType: 'User', entityId: userId });
}

/** Ends every live token of a session at once. */
function revokeFamily(tx: Tx, familyId: string) {
  return tx.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/**
 * Sign-in and sessions. A session is a family of refresh tokens: each refresh rotates the token
 * (the old one dies), and presenting a rotated token again revokes the whole family, because only
 * a thief replays a token its owner has already exchanged.
 */
export function createIdentityService(deps: { prisma: Db; accessTokens: AccessTokens; refreshTokenTtlDays: number }) {
  const { prisma, accessTokens } = deps;

  async function issueRefreshToken(tx: Tx, userId: string, familyId: string) {
    const secret = generateSecret('rt');
    const row = await tx.refreshToken.create({
      data: { userId, familyId, tokenHash: digestSecret(secret), expiresAt: new Date(Date.now() + deps.refreshTokenTtlDays * dayMs) },
    });
    return { secret, row };
  }

  /** A token rotated (not revoked) moments ago, whose session still has a live token. */
  async function withinGrace(tx: Tx, token: { id: string; familyId: string }): Promise<boolean> {
    const latest = await tx.refreshToken.findUnique({ where: { id: token.id }, select: { revokedAt: true, replacedById: true } });
    if (!latest?.revokedAt || latest.replacedById === null || Date.now() - latest.revokedAt.getTime() > refreshGraceMs) return false;
    return (await tx.refreshToken.count({ where: { familyId: token.familyId, revokedAt: null } })) > 0;
  }

  async function session(user: User, refreshToken: string): Promise<Session> {
    const { token, expiresAt } = await accessTokens.issue(user.id);
    return { accessToken: token, refreshToken, expiresAt, user };
  }

  return {
    async login(email: string, password: string, scope: RequestScope): Promise<Session> {
      const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
      if (!(await verifyPassword(user?.passwordHash ?? null, password)) || !user) {
        throw new UnauthenticatedError('Invalid email or password.');
      }
      const { secret } = await prisma.$transaction(async (tx) => {
        const issued = await issueRefreshToken(tx, user.id, randomUUID());
        await auditSession(tx, scope, user.id, 'auth.login');
        return issued;
      });
      return session(user, secret);
    },

    async refresh(refreshToken: string, scope: RequestScope): Promise<Session> {
      const outcome = await prisma.$transaction(async (tx) => {
        const current = await tx.refreshToken.findUnique({ where: { tokenHash: digestSecret(refreshToken) }, include: { user: true } });
        if (!current) return { kind: 'invalid' as const };
        if (!current.revokedAt && current.expiresAt <= new Date()) return { kind: 'expired' as const };
        // Conditional update: of two concurrent refreshes with one token, only one rotates it; the
        // other (or a late retry) is served within the grace window, else treated as a replay.
        const rotated = current.revokedAt
          ? { count: 0 }
          : await tx.refreshToken.updateMany({ where: { id: current.id, revokedAt: null }, data: { revokedAt: new Date() } });
        if (rotated.count === 0) {
          if (!(await withinGrace(tx, current))) return { kind: 'reused' as const, familyId: current.familyId, userId: current.userId };
          const sibling = await issueRefreshToken(tx, current.userId, current.familyId);
          await auditSession(tx, scope, current.userId, 'auth.refresh');
          return { kind: 'rotated' as const, user: current.user, secret: sibling.secret };
        }
        const issued = await issueRefreshToken(tx, current.userId, current.familyId);
        await tx.refreshToken.update({ where: { id: current.id }, data: { replacedById: issued.row.id } });
        await auditSession(tx, scope, current.userId, 'auth.refresh');
        return { kind: 'rotated' as const, user: current.user, secret: issued.secret };
      });
      if (outcome.kind === 'rotated') return session(outcome.user, outcome.secret);
      if (outcome.kind === 'reused') {
        // The transaction above only read (it returned instead of throwing); revoke in a new one.
        await prisma.$transaction(async (tx) => {
          await revokeFamily(tx, outcome.familyId);
          await auditSession(tx, scope, outcome.userId, 'auth.refresh_token_reuse');
        });
      }
      const error = new UnauthenticatedError(
        outcome.kind === 'expired'
          ? 'The refresh token has expired: sign in again.'
          : 'The refresh token is invalid or revoked: sign in again.',
      );
      error.extensions.reason = outcome.kind;
      throw error;
    },

    /** Ends the session the token belongs to. Unknown tokens are not an error: the session is gone either way. */
    async logout(refreshToken: string, scope: RequestScope): Promise<boolean> {
      const token = await prisma.refreshToken.findUnique({ where: { tokenHash: digestSecret(refreshToken) } });
      if (!token) return true;
      await prisma.$transaction(async (tx) => {
        await revokeFamily(tx, token.familyId);
        await auditSession(tx, scope, token.userId, 'auth.logout');
      });
      return true;
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
