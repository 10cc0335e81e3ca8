import { access, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type BackupLocation, createBackupLocations } from '../../src/backup/backup-location.js';
import { type BackupManifest, manifestSuffix, newestFirst, parseManifest } from '../../src/backup/manifest.js';
import type { Config } from '../../src/config.js';
import { BackupError } from './backup-error.js';
import { verifyChecksum } from './checksum.js';

export interface LocalBackup {
  manifest: BackupManifest;
  /** The dump on this machine, checksum verified. */
  file: string;
}

/** `servio-….dump`, `….sql.gz`, `….manifest.json` or a bucket key → the backup id. */
const idOf = (reference: string) => basename(reference).replace(/(\.manifest\.json|\.dump|\.sql\.gz)$/, '');

/**
 * Finds a backup by `latest`, a local path (the dump or its manifest) or an id / bucket key, copies
 * the dump into BACKUP_DIR when it lives in the bucket, and verifies its checksum: nothing is
 * restored from a file that differs from what its manifest recorded.
 */
export async function resolveBackup(reference: string, config: Config): Promise<LocalBackup> {
  const dir = resolve(config.backup.dir);
  const asPath = resolve(reference);
  if (reference !== 'latest' && (await exists(asPath))) {
    const manifestPath = join(dirname(asPath), `${idOf(asPath)}${manifestSuffix}`);
    if (!(await exists(manifestPath))) throw new BackupError('NOT_FOUND', `${reference} has no manifest beside it (${manifestPath})`);
    const manifest = parseManifest(await readFile(manifestPath, 'utf8'), manifestPath);
    const file = join(dirname(asPath), manifest.file);
    await verifyChecksum(file, manifest);
    return { manifest, file };
  }
  const found = await findInLocations(await createBackupLocations(config.backup), reference === 'latest' ? null : idOf(reference));
  if (!found) {
    throw new BackupError(
      'NOT_FOUND',
      reference === 'latest' ? 'no backup found in BACKUP_DIR or the bucket' : `no backup "${reference}" in BACKUP_DIR or the bucket`,
    );
  }
  await found.location.fetch(found.manifest, dir);
  const file = join(dir, found.manifest.file);
  await verifyChecksum(file, found.manifest);
  return { manifest: found.manifest, file };
}

/** The wanted id (or the newest backup), preferring the first location (the local directory) on a tie. */
async function findInLocations(locations: BackupLocation[], id: string | null) {
  let best: { manifest: BackupManifest; location: BackupLocation } | null = null;
  for (const location of locations) {
    const manifests = newestFirst(await location.manifests());
    const manifest = id ? manifests.find((candidate) => candidate.id === id) : manifests[0];
    if (manifest && (!best || Date.parse(manifest.finishedAt) > Date.parse(best.manifest.finishedAt))) best = { manifest, location };
  }
  return best;
}

async function exists(path: string) {
  return access(path).then(
    () => true,
    () => false,
  );
}
