import { createBackupLocations } from '../../src/backup/backup-location.js';
import type { BackupManifest } from '../../src/backup/manifest.js';
import type { Config } from '../../src/config.js';
import { checkApiOnRestoredCopy, sampleMenu } from './drill-queries.js';
import { resolveBackup } from './resolve-backup.js';
import { createRestoreTarget } from './restore-backup.js';
import { takeBackup } from './take-backup.js';
import { verifyRestored } from './verify-restore.js';

export interface DrillResult {
  manifest: BackupManifest;
  /** From "start restore" to "the API answers on the restored data". */
  rtoMs: number;
  /** Age of the backup when the drill started: the data a disaster now would lose. */
  rpoMs: number;
  checks: string[];
}

/**
 * The restore drill: restores a backup (`latest` by default, or a fresh one with `take`) into a
 * scratch copy beside the configured database, verifies it (checksum, row counts, foreign keys,
 * migrations = prisma/migrations), starts the API on it and queries it, then drops the copy. The
 * backup's manifest records `verifiedAt`, which retention uses to keep the newest verified backup.
 */
export async function runRestoreDrill(options: { config: Config; reference?: string; take?: boolean; log?: (line: string) => void }) {
  const { config } = options;
  const log = options.log ?? (() => undefined);
  const reference = options.take ? (await takeBackup({ config, label: 'manual' })).id : (options.reference ?? 'latest');

  const started = Date.now();
  const { manifest, file } = await resolveBackup(reference, config);
  const rpoMs = started - Date.parse(manifest.finishedAt);
  const checks = [`checksum of ${manifest.file} matches its manifest`];
  const scratch = await createRestoreTarget(config.database).createScratch();
  let rtoMs: number;
  try {
    log(`restoring ${manifest.id} into ${scratch.name}`);
    await scratch.load(file, manifest);
    const { verified, sample } = await scratch.withQuery(async (query) => ({
      verified: await verifyRestored(query, manifest, { exactMigrations: true }),
      sample: await sampleMenu(query),
    }));
    checks.push(
      `${verified.tables} tables, ${verified.rows} rows as in the manifest; no orphaned foreign keys; _prisma_migrations = prisma/migrations`,
    );
    // The connection above is closed first: an embedded copy is opened by one owner at a time.
    checks.push(...(await checkApiOnRestoredCopy(scratch.database, sample)));
    rtoMs = Date.now() - started;
  } finally {
    await scratch.dispose();
  }

  const verifiedManifest = { ...manifest, verifiedAt: new Date().toISOString() };
  for (const location of await createBackupLocations(config.backup)) {
    if ((await location.manifests()).some((candidate) => candidate.id === manifest.id)) await location.saveManifest(verifiedManifest);
  }
  return { manifest: verifiedManifest, rtoMs, rpoMs, checks } satisfies DrillResult;
}
