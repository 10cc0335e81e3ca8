import { z } from 'zod';

/**
 * What a backup says about itself, stored beside the dump as `<id>.manifest.json`. Restores trust
 * nothing in the dump until its SHA-256 and size match these; the drill checks the row counts.
 */
export const manifestSchema = z.object({
  formatVersion: z.literal(1),
  id: z.string().regex(/^[\w.-]+$/),
  /** The dump's file name, beside the manifest. */
  file: z.string().regex(/^[\w.-]+$/),
  /** `pg-custom`: pg_dump -Fc (compressed); `sql-gzip`: plain SQL (PGlite's pg_dump), gzipped. */
  format: z.enum(['pg-custom', 'sql-gzip']),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int().nonnegative(),
  /** `scheduled`/`manual` backups, or the `pre-restore` copy a restore takes of its target. */
  label: z.enum(['manual', 'scheduled', 'pre-restore']),
  environment: z.string(),
  source: z.object({
    kind: z.enum(['postgres', 'embedded']),
    /** host:port/database, or the embedded data directory; never credentials. */
    database: z.string(),
    serverVersion: z.string(),
    dumpTool: z.string(),
  }),
  /** Applied migrations, oldest first; the last one is the schema version. */
  migrations: z.array(z.string()),
  lastMigration: z.string().nullable(),
  rowCounts: z.record(z.string(), z.number().int().nonnegative()),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  /** Set by the restore drill when this backup was restored and answered queries. */
  verifiedAt: z.iso.datetime().optional(),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

export const manifestSuffix = '.manifest.json';

export function manifestName(manifest: Pick<BackupManifest, 'id'>): string {
  return `${manifest.id}${manifestSuffix}`;
}

/** Newest first, by the end of the dump. */
export function newestFirst(manifests: readonly BackupManifest[]): BackupManifest[] {
  return [...manifests].sort((a, b) => Date.parse(b.finishedAt) - Date.parse(a.finishedAt));
}

/** Parses a manifest's JSON; throws with the file name and the first problem. */
export function parseManifest(json: string, name: string): BackupManifest {
  const parsed = manifestSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${name} is not a backup manifest (${issue?.path.join('.')}: ${issue?.message})`);
  }
  return parsed.data;
}
