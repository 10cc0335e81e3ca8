import type { BackupManifest } from '../../src/backup/manifest.js';
import type { Config } from '../../src/config.js';
import { BackupError } from './backup-error.js';
import { hasData } from './database-facts.js';
import { createEmbeddedTarget } from './embedded-target.js';
import { createPostgresTarget } from './postgres-target.js';
import { resolveBackup } from './resolve-backup.js';
import type { DatabaseRef, RestoreTarget } from './restore-target.js';
import { takeBackup } from './take-backup.js';
import { verifyRestored } from './verify-restore.js';

export interface RestoreOptions {
  config: Config;
  /** `latest`, a local path (dump or manifest), or a backup id / bucket key. */
  reference: string;
  /** Default: the configured database (DATABASE_URL, or the embedded directory). */
  target?: DatabaseRef;
  /** Replace a target that has data. */
  force?: boolean;
  /** In production, the target's name, repeated. */
  confirm?: string | null;
  log?: (line: string) => void;
}

export interface RestoreResult {
  manifest: BackupManifest;
  target: string;
  /** The copy of the target taken first, when it had tables. */
  preRestore: BackupManifest | null;
  durationMs: number;
}

export function createRestoreTarget(database: DatabaseRef): RestoreTarget {
  return database.kind === 'postgres' ? createPostgresTarget(database.url) : createEmbeddedTarget(database.dataDir);
}

/**
 * Checksum first, then the guards (data → --force, production → --confirm), a pre-restore backup,
 * the restore into a scratch copy, its verification, and the swap. Any failure before the swap
 * drops the scratch copy and leaves the target as it was; the pre-restore backup stays in the
 * backup locations as a way back from a restore that succeeded but was a mistake.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const { config } = options;
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const { manifest, file } = await resolveBackup(options.reference, config);
  log(`backup ${manifest.id}: checksum verified (${manifest.sizeBytes} bytes, taken ${manifest.finishedAt})`);

  const target = createRestoreTarget(options.target ?? config.database);
  const counts = await target.rowCounts();
  if (counts && hasData(counts) && !options.force)
    throw new BackupError('TARGET_HAS_DATA', `${target.name} has data: pass --force to replace it (a pre-restore backup is taken first)`);
  if (config.isProduction && options.confirm !== target.name)
    throw new BackupError(
      'CONFIRMATION_REQUIRED',
      `NODE_ENV=production: pass --confirm ${target.name} (the target database's name) to restore`,
    );

  let preRestore: BackupManifest | null = null;
  if (counts && Object.keys(counts).length > 0) {
    preRestore = await takeBackup({ config, source: target.database, label: 'pre-restore' });
    log(`pre-restore backup of ${target.name}: ${preRestore.id}`);
  }

  const scratch = await target.createScratch();
  try {
    await scratch.load(file, manifest);
    const verified = await scratch.withQuery((query) => verifyRestored(query, manifest));
    log(`restored into ${scratch.name}: ${verified.tables} tables, ${verified.rows} rows, foreign keys and migrations verified`);
    await target.promote(scratch);
  } catch (error) {
    await scratch.dispose();
    throw error;
  }
  log(`${target.name} now holds backup ${manifest.id}`);
  return { manifest, target: target.name, preRestore, durationMs: Date.now() - started };
}
