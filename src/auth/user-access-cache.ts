import type { CacheService } from '../infra/cache-service.js';
import { redisKey } from '../infra/redis.js';
import type { MembershipRole, UserAccess } from './access.js';

/** The seed's 10 minutes; a change reaches every instance at once through `invalidate`. */
export const userAccessTtlSeconds = 600;
/** Outlives every entry, so an entry never sees its version key expire and come back equal. */
const versionTtlSeconds = 86_400;
/** How soon an invalidation Redis refused is written again. */
const retryFlushMs = 1_000;

interface StoredAccess {
  isAdmin: boolean;
  roles: Array<[string, MembershipRole]>;
}

export interface UserAccessCache {
  /** A user's admin flag and roles: from the shared cache, else from the database (then cached). Null: no such user. */
  get(userId: string): Promise<UserAccess | null>;
  /** After a committed change of these users' memberships or admin flag: their cached access is dead on every instance. */
  invalidate(userIds: readonly string[]): Promise<void>;
}

/**
 * Permissions behind the cache service, so a warm request authenticates without SQL. Entries carry the
 * version of their user's version key; `invalidate` replaces it, so even an entry computed from data
 * read just before the change is never served. The cache is an optimisation: when it fails, the
 * database answers (and a failed invalidation is reported, never thrown at a committed change).
 */
export function createUserAccessCache(deps: {
  cache: CacheService;
  load: (userIds: readonly string[]) => Promise<Array<UserAccess | null>>;
  onError: (error: unknown) => void;
}): UserAccessCache {
  const { cache, load, onError } = deps;
  const entryKey = (userId: string) => redisKey('user-access', userId);
  const versionKey = (userId: string) => redisKey('user-access-version', userId);
  // Invalidations that could not be written: until one gets through, this instance does not trust the
  // cache at all, and it retries every second (not only on its next request), so other instances,
  // which cannot know, serve an old entry only while Redis refuses this one's writes.
  const unwritten = new Set<string>();
  let retryScheduled = false;
  const flush = async (userIds: readonly string[]) => {
    try {
      await cache.bumpVersions(userIds.map(versionKey), versionTtlSeconds);
      // The entries go too: should Redis evict a version key, an entry must not match its absence.
      await Promise.all(userIds.map((userId) => cache.delete(entryKey(userId))));
      for (const userId of userIds) unwritten.delete(userId);
      return true;
    } catch (error) {
      for (const userId of userIds) unwritten.add(userId);
      onError(error);
      if (!retryScheduled) {
        retryScheduled = true;
        setTimeout(() => {
          retryScheduled = false;
          if (unwritten.size > 0) void flush([...unwritten]);
        }, retryFlushMs).unref();
      }
      return false;
    }
  };
  return {
    async get(userId) {
      if (unwritten.size > 0 && !(await flush([...unwritten]))) return (await load([userId]))[0] ?? null;
      const cached = await cache.getVersioned<StoredAccess>(entryKey(userId), versionKey(userId)).catch((error: unknown) => {
        onError(error);
        return null;
      });
      if (cached?.value) return { isAdmin: cached.value.isAdmin, roles: new Map(cached.value.roles) };
      const [access] = await load([userId]);
      if (access && cached) {
        const stored: StoredAccess = { isAdmin: access.isAdmin, roles: [...access.roles] };
        cache.setVersioned(entryKey(userId), stored, cached.version, userAccessTtlSeconds).catch(onError);
      }
      return access ?? null;
    },
    async invalidate(userIds) {
      await flush(userIds);
    },
  };
}
