import { UnauthenticatedError } from '../errors.js';
import type { AccessTokens } from './access-tokens.js';
import { anonymous, type Viewer } from './viewer.js';

type Headers = Record<string, string | string[] | undefined>;

/**
 * The viewer a request's credentials stand for: a user (`Authorization: Bearer <jwt>`), a
 * partner key (`x-api-key`), or anonymous. Bad credentials are an error, never a silent
 * downgrade to anonymous, so a client learns at once that its token is wrong.
 */
export function createAuthenticator(deps: { accessTokens: AccessTokens; authenticateApiKey: (secret: string) => Promise<Viewer> }) {
  return async (headers: Headers): Promise<Viewer> => {
    const authorization = headers.authorization;
    const apiKey = headers['x-api-key'];
    if (authorization !== undefined && apiKey !== undefined) {
      throw new UnauthenticatedError('Send either a bearer token or an API key, not both.');
    }
    if (typeof authorization === 'string') {
      const token = /^Bearer ([\w.~+/=-]+)$/i.exec(authorization.trim())?.[1];
      if (!token) throw new UnauthenticatedError('The Authorization header must be "Bearer <access token>".');
      return { kind: 'user', userId: await deps.accessTokens.verify(token) };
    }
    if (typeof apiKey === 'string') return deps.authenticateApiKey(apiKey);
    if (authorization !== undefined || apiKey !== undefined) throw new UnauthenticatedError('Send one credential header, once.');
    return anonymous;
  };
}
