import type { BackupLocation } from '../../src/backup/backup-location.js';
import { newestFirst } from '../../src/backup/manifest.js';

export interface RetentionResult {
  location: string;
  deleted: string[];
  kept: string[];
}

/**
 * Deletes backups older than `retentionDays` in every location, except the newest backup and the
 * newest verified one (restored by the drill): whatever their age, a restore stays possible.
 */
export async function applyRetention(
  locations: readonly BackupLocation[],
  options: { retentionDays: number; now?: () => Date },
): Promise<RetentionResult[]> {
  const cutoff = (options.now?.() ?? new Date()).getTime() - options.retentionDays * 86_400_000;
  const results = [];
  for (const location of locations) {
    const manifests = newestFirst(await location.manifests());
    const protectedIds = new Set([manifests[0]?.id, manifests.find((manifest) => manifest.verifiedAt)?.id]);
    const result: RetentionResult = { location: location.name, deleted: [], kept: [] };
    for (const manifest of manifests) {
      if (protectedIds.has(manifest.id) || Date.parse(manifest.finishedAt) >= cutoff) {
        result.kept.push(manifest.id);
        continue;
      }
      await location.remove(manifest);
      result.deleted.push(manifest.id);
    }
    results.push(result);
  }
  return results;
}
