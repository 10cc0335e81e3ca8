import type { Config } from '../config.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';
import { createBackupLocations } from './backup-location.js';
import { type BackupManifest, newestFirst } from './manifest.js';

/** How the API knows about backups it never takes: it reads the newest manifest where they are kept. */
export interface BackupMonitor {
  /** BACKUP_RPO_HOURS: the backup-age alert fires past it. */
  readonly rpoHours: number;
  /** Hours since the newest backup finished; Infinity when none is known. Re-reads at most every `refreshMs`. */
  ageHours(): Promise<number>;
  /** Releases the locations' clients (the bucket's sockets). */
  close(): void;
}

/**
 * Reads the backup locations (BACKUP_DIR, and the bucket with BACKUP_S3_BUCKET) the backup job writes
 * to, and exports the newest backup's time, size and duration as gauges. A listing at most every
 * five minutes keeps a bucket's request count negligible while staying far inside any RPO.
 */
export async function createBackupMonitor(
  config: Config['backup'],
  deps: { metrics: Metrics; logger: Logger; refreshMs?: number; now?: () => number },
): Promise<BackupMonitor | null> {
  const { rpoHours } = config;
  if (rpoHours === null) return null;
  const refreshMs = deps.refreshMs ?? 5 * 60_000;
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ component: 'backup-monitor' });
  // Built once: one S3 client for the process's life, closed with the monitor.
  const locations = await createBackupLocations(config, {
    onInvalid: (name, error) => log.warn({ manifest: name, err: error }, 'unreadable backup manifest skipped'),
  });
  let newest: BackupManifest | null = null;
  let readAt = Number.NEGATIVE_INFINITY;

  const reading = (value: (manifest: BackupManifest) => number) => () => (newest ? value(newest) : []);
  deps.metrics.gauge(
    'backup.last_success_timestamp_seconds',
    reading((manifest) => Date.parse(manifest.finishedAt) / 1000),
  );
  deps.metrics.gauge(
    'backup.last_size_bytes',
    reading((manifest) => manifest.sizeBytes),
  );
  deps.metrics.gauge(
    'backup.last_duration_seconds',
    reading((manifest) => manifest.durationMs / 1000),
  );

  const refresh = async () => {
    const manifests = [];
    let complete = true;
    for (const location of locations) {
      try {
        manifests.push(...(await location.manifests()));
      } catch (error) {
        // An unreachable bucket must not hide the local backups, nor stop the other alert rules.
        complete = false;
        log.warn({ location: location.name, err: error }, 'backup location unreadable');
      }
    }
    // A partial read may miss the newest backup, so it only moves `newest` forward (the later of the
    // last known and what was read): a bucket timing out must not fire backup_age. The age still grows
    // from the last known backup, so a bucket that stays down alerts once that passes the RPO; and
    // `readAt` advances, so the bucket is asked again after refreshMs, not at every evaluation.
    const known = complete || !newest ? manifests : [...manifests, newest];
    newest = newestFirst(known)[0] ?? null;
    readAt = now();
  };

  return {
    rpoHours,
    async ageHours() {
      if (now() - readAt >= refreshMs) await refresh();
      return newest ? (now() - Date.parse(newest.finishedAt)) / 3_600_000 : Number.POSITIVE_INFINITY;
    },
    close() {
      for (const location of locations) location.close();
    },
  };
}
