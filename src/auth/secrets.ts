import { createHash, randomBytes } from 'node:crypto';

/** A random, URL-safe secret with a readable prefix ("rt_…", "sk_…"). */
export function generateSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/**
 * Refresh tokens and API keys are stored only as this digest. They are 256-bit random values, so
 * a fast hash is enough (no dictionary to attack), and lookups by digest stay indexed.
 */
export function digestSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
