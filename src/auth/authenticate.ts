import { UnauthenticatedError } from '../errors.js';
import type { UserAccess } from './access.js';
import type { AccessTokens } from './access-tokens.js';
import { anonymous, type Viewer } from './viewer.js';

type Headers = Record<string, string | string[] | undefined>;

export interface Authenticated {
  viewer: Viewer;
  /** A signed-in user's admin flag and roles, read while checking that the user still exists. */
  userAccess: UserAccess | null;
}

/**
 * The viewer a request's credentials stand for: a user (`Authorization: Bearer <jwt>`), a
 * partner key (`x-api-key`), or anonymous. Bad credentials are an error, never a silent
 * downgrade to anonymous, so a client learns at once that its token is wrong.
 */
export function createAuthenticator(deps: {
  accessTokens: AccessTokens;
  authenticateApiKey: (secret: string) => Promise<Viewer>;
  loadUserAccess: (userId: string) => Promise<UserAccess | null>;
}) {
  const withCredentials = async (
    authorization: string | string[] | undefined,
    apiKey: string | string[] | undefined,
  ): Promise<Authenticated> => {
    if (authorization !== undefined && apiKey !== undefined) {
      throw new UnauthenticatedError('Send either a bearer token or an API key, not both.');
    }
    if (typeof authorization === 'string') {
      const token = /^Bearer ([\w.~+/=-]+)$/i.exec(authorization.trim())?.[1];
      if (!token) throw new UnauthenticatedError('The Authorization header must be "Bearer <access token>".');
      const userId = await deps.accessTokens.verify(token);
      // On every request, before any cached response: from the permission cache, which every change through the
      // API invalidates at once (a user deleted outside the API is seen within its 10 minutes).
      const userAccess = await deps.loadUserAccess(userId);
      if (!userAccess) throw new UnauthenticatedError('The user of this token no longer exists.');
      return { viewer: { kind: 'user', userId }, userAccess };
    }
    if (typeof apiKey === 'string') return { viewer: await deps.authenticateApiKey(apiKey), userAccess: null };
    throw new UnauthenticatedError('Send one credential header, once.');
  };
  // No credentials: answered without a promise, as most public reads (cache hits) come.
  return (headers: Headers): Authenticated | Promise<Authenticated> => {
    const { authorization, 'x-api-key': apiKey } = headers;
    return authorization === undefined && apiKey === undefined
      ? { viewer: anonymous, userAccess: null }
      : withCredentials(authorization, apiKey);
  };
}
