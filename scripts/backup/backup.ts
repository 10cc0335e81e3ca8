/** npm run db:backup [-- --label scheduled]: dump, manifest, upload, retention, notification (README, "Backups"). */
import { parseArgs } from 'node:util';
import { createBackupLocations } from '../../src/backup/backup-location.js';
import { megabytes, runJob, seconds } from './job.js';
import { applyRetention } from './retention.js';
import { takeBackup } from './take-backup.js';

const { values } = parseArgs({ options: { label: { type: 'string', default: 'manual' } } });
const label = values.label === 'scheduled' ? 'scheduled' : 'manual';

await runJob({ name: 'backup', title: 'Database backup' }, async ({ config, print }) => {
  const manifest = await takeBackup({ config, label });
  print(
    `Backup ${manifest.id}: ${megabytes(manifest.sizeBytes)} in ${seconds(manifest.durationMs)} (${manifest.format}, sha256 ${manifest.sha256})`,
  );
  const locations = await createBackupLocations(config.backup);
  print(`Stored in: ${locations.map((location) => location.name).join(', ')}`);
  for (const result of await applyRetention(locations, { retentionDays: config.backup.retentionDays })) {
    if (result.deleted.length)
      print(`Retention (${config.backup.retentionDays} days) deleted from ${result.location}: ${result.deleted.join(', ')}`);
  }
  return {
    summary: `Backup ${manifest.id} taken: ${megabytes(manifest.sizeBytes)} in ${seconds(manifest.durationMs)}`,
    details: {
      backup: manifest.id,
      sizeBytes: String(manifest.sizeBytes),
      durationMs: String(manifest.durationMs),
      environment: config.env,
    },
  };
});
