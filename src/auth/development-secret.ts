import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where development keeps its JWT secret when JWT_SECRET is not set (`.data/` is git-ignored). */
export const developmentSecretPath = '.data/dev-jwt-secret';

/**
 * Development without JWT_SECRET: a random secret made once and kept under `.data/`, so restarting
 * the server (or `npm run dev` reloading it) does not sign every developer out. Production never
 * gets here: config requires JWT_SECRET there.
 */
export function developmentJwtSecret(path = developmentSecretPath): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    mkdirSync(dirname(path), { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    try {
      // 'wx': of two processes starting at once, the first file wins and both read it.
      writeFileSync(path, `${secret}\n`, { flag: 'wx', mode: 0o600 });
      return secret;
    } catch {
      return readFileSync(path, 'utf8').trim();
    }
  }
}
