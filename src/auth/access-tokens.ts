import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.js';
import { UnauthenticatedError } from '../errors.js';
import { developmentJwtSecret } from './development-secret.js';

const issuer = 'servio-api';
const audience = 'servio-api';

export interface AccessTokens {
  issue(userId: string): Promise<{ token: string; expiresAt: Date }>;
  /** The user id the token was issued to; UNAUTHENTICATED for anything else. */
  verify(token: string): Promise<string>;
}

/** Tokens already verified, kept until they expire: a signature check is a tenth of a warm read's CPU. */
const verifiedTokensKept = 10_000;

/**
 * Short-lived HS256 JWTs carrying only the user id. Only HS256 is accepted, so `alg: none` and
 * tokens signed for another algorithm or key are rejected by jose before any claim is read.
 */
export function createAccessTokens(secret: string, ttlSeconds: number): AccessTokens {
  const key = new TextEncoder().encode(secret);
  const verified = new LRUCache<string, { userId: string; expiresAtMs: number }>({ max: verifiedTokensKept });
  return {
    async issue(userId) {
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setJti(randomBytes(9).toString('base64url'))
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key);
      return { token, expiresAt };
    },
    async verify(token) {
      const known = verified.get(token);
      if (known && Date.now() < known.expiresAtMs) return known.userId;
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer, audience });
        if (!payload.sub) throw new UnauthenticatedError('The access token has no subject.');
        if (payload.exp !== undefined) verified.set(token, { userId: payload.sub, expiresAtMs: payload.exp * 1000 });
        return payload.sub;
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw withReason('The access token has expired: refresh the session.', 'expired');
        if (error instanceof UnauthenticatedError) throw error;
        throw withReason('The access token is invalid.', 'invalid');
      }
    },
  };
}

function withReason(message: string, reason: string): UnauthenticatedError {
  const error = new UnauthenticatedError(message);
  error.extensions.reason = reason;
  return error;
}

/** Development without JWT_SECRET keeps a secret under `.data/`, so tokens survive restarts. */
export function createAccessTokensFor(config: Config): AccessTokens {
  const secret = config.jwtSecret ?? developmentJwtSecret();
  return createAccessTokens(secret, config.auth.accessTokenTtlSeconds);
}
