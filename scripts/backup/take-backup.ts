import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createBackupLocations } from '../../src/backup/backup-location.js';
import { type BackupManifest, manifestName } from '../../src/backup/manifest.js';
import type { Config } from '../../src/config.js';
import { fileDigest } from './checksum.js';
import { checkArchive, dumpEmbedded, dumpPostgres } from './dump.js';
import type { DatabaseRef } from './restore-target.js';

export interface TakeBackupOptions {
  config: Config;
  /** The database to dump; default the configured one (DATABASE_URL or the embedded directory). */
  source?: DatabaseRef;
  label?: BackupManifest['label'];
  now?: () => Date;
}

/** `2026-11-30T14-05-09-123Z`: sortable and safe in file names and S3 keys. */
const stamp = (date: Date) => date.toISOString().replaceAll(/[:.]/g, '-');

/**
 * Dumps the database into BACKUP_DIR, writes the manifest beside it and copies both to every
 * location (the bucket, when configured). A failure leaves no file behind in BACKUP_DIR.
 */
export async function takeBackup(options: TakeBackupOptions): Promise<BackupManifest> {
  const { config } = options;
  const source = options.source ?? config.database;
  const now = options.now ?? (() => new Date());
  const label = options.label ?? 'manual';
  const dir = resolve(config.backup.dir);
  await mkdir(dir, { recursive: true });

  const started = now();
  const id = `servio-${config.env}-${stamp(started)}${label === 'pre-restore' ? '-pre-restore' : ''}`;
  const file = `${id}.${source.kind === 'postgres' ? 'dump' : 'sql.gz'}`;
  const path = join(dir, file);
  try {
    const facts = source.kind === 'postgres' ? await dumpPostgres(source.url, path) : await dumpEmbedded(source.dataDir, path);
    if (facts.format === 'pg-custom') await checkArchive(path);
    const finished = now();
    const manifest: BackupManifest = {
      formatVersion: 1,
      id,
      file,
      format: facts.format,
      ...(await fileDigest(path)),
      label,
      environment: config.env,
      source: { kind: source.kind, database: facts.database, serverVersion: facts.serverVersion, dumpTool: facts.dumpTool },
      migrations: facts.migrations,
      lastMigration: facts.migrations.at(-1) ?? null,
      rowCounts: facts.rowCounts,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
    };
    for (const location of await createBackupLocations(config.backup)) await location.save(manifest, dir);
    return manifest;
  } catch (error) {
    // All or nothing: a backup the bucket refused is not left half-recorded in the directory either.
    await rm(path, { force: true });
    await rm(join(dir, manifestName({ id })), { force: true });
    throw error;
  }
}
