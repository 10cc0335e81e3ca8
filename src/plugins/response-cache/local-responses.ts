import { createHash } from 'node:crypto';

export interface LocalResponse {
  body: Buffer;
  /** `content-type` and `cache-control` as Apollo sent them. */
  headers: Record<string, string>;
  etag: string;
  /** Generation scopes the response depends on (see restaurant-references.ts). */
  scopes: readonly string[];
  storedAt: number;
  expiresAt: number;
}

/** A strong validator of `body`: the same bytes always give the same ETag, on every instance. */
export function etagOf(body: Buffer | string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/**
 * The in-process tier of the response cache: the exact bytes of recent public answers, so a hit is
 * served with no Redis round trip and no GraphQL work. Kept coherent by `invalidate`, which every
 * generation bump calls on every instance (through Redis pub/sub); entries also live at most
 * `maxAgeMs`, which bounds staleness if an invalidation message is ever lost. An answer computed
 * while an invalidation happened is not stored (`epoch`), so a write is never overtaken by a read.
 */
export function createLocalResponses(options: { maxEntries: number; maxAgeMs: number }) {
  const entries = new Map<string, LocalResponse>();
  let epoch = 0;
  return {
    get(key: string, now = Date.now()): LocalResponse | undefined {
      const entry = entries.get(key);
      if (entry && entry.expiresAt <= now) entries.delete(key);
      return entry && entry.expiresAt > now ? entry : undefined;
    },
    /** Changes whenever anything is invalidated. */
    epoch: () => epoch,
    put(key: string, entry: Omit<LocalResponse, 'expiresAt'>, ttlMs: number, startedAtEpoch: number): void {
      if (startedAtEpoch !== epoch || ttlMs <= 0) return;
      entries.delete(key);
      if (entries.size >= options.maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { ...entry, expiresAt: entry.storedAt + Math.min(ttlMs, options.maxAgeMs) });
    },
    /** Drops every answer that depends on one of `scopes` (`null`: all of them). */
    invalidate(scopes: readonly string[] | null): void {
      epoch++;
      const changed = new Set(scopes ?? []);
      for (const [key, entry] of entries) if (scopes === null || entry.scopes.some((scope) => changed.has(scope))) entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}

export type LocalResponses = ReturnType<typeof createLocalResponses>;
