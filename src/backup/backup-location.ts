import type { Config } from '../config.js';
import type { BackupManifest } from './manifest.js';

/**
 * Somewhere backups are kept: the local directory (always, where dumps are written) and, when
 * configured, an S3 bucket. A backup is a dump plus its manifest; the manifest is written last,
 * so a listed manifest means the dump is complete.
 */
export interface BackupLocation {
  /** `./.data/backups` or `s3://bucket/prefix`, for messages. */
  readonly name: string;
  /** Every readable manifest; unreadable ones are reported through `onInvalid` and skipped. */
  manifests(): Promise<BackupManifest[]>;
  /** Stores the dump (from `localDir`) and then the manifest. */
  save(manifest: BackupManifest, localDir: string): Promise<void>;
  /** Rewrites the manifest alone (the drill records `verifiedAt`). */
  saveManifest(manifest: BackupManifest): Promise<void>;
  /** Copies the dump into `localDir` (a no-op for the local directory itself). */
  fetch(manifest: BackupManifest, localDir: string): Promise<void>;
  remove(manifest: BackupManifest): Promise<void>;
  /** Releases its client (the bucket's sockets); the location is not used afterwards. */
  close(): void;
}

export interface LocationOptions {
  /** Called with a manifest that could not be read or parsed. */
  onInvalid?: (name: string, error: unknown) => void;
}

/** The local directory first, then the bucket when BACKUP_S3_BUCKET is set. */
export async function createBackupLocations(config: Config['backup'], options: LocationOptions = {}): Promise<BackupLocation[]> {
  const { createLocalLocation } = await import('./local-location.js');
  const locations = [createLocalLocation(config.dir, options)];
  if (config.s3.kind === 's3') {
    // The AWS SDK loads only when a bucket is configured.
    const { createS3Location } = await import('./s3-location.js');
    locations.push(createS3Location(config.s3, options));
  }
  return locations;
}
