import { createUserAccessCache } from '../../src/auth/user-access-cache.js';
import type { TestServer } from './test-server.js';

/**
 * Forgets these users' cached permissions, as any tool that changes users or memberships outside the
 * API must (the API's own changes do it themselves): for fixtures written straight to the database.
 */
export async function forgetCachedAccess(server: Pick<TestServer, 'infra'>, userIds: readonly string[]): Promise<void> {
  await createUserAccessCache({ cache: server.infra.cacheService, load: async () => [], onError: () => {} }).invalidate(userIds);
}
