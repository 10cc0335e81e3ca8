/** npm run db:test-restore [-- --take | --backup <ref>]: the restore drill; prints RTO and RPO (README, "Backups"). */
import { parseArgs } from 'node:util';
import { runJob, seconds } from './job.js';
import { runRestoreDrill } from './restore-drill.js';

const { values } = parseArgs({ options: { take: { type: 'boolean', default: false }, backup: { type: 'string' } } });

await runJob({ name: 'restore_drill', title: 'Restore drill' }, async ({ config, print }) => {
  const result = await runRestoreDrill({ config, take: values.take, reference: values.backup, log: print });
  for (const check of result.checks) print(`ok  ${check}`);
  const hours = (result.rpoMs / 3_600_000).toFixed(2);
  print(`RTO ${seconds(result.rtoMs)} (start of restore → API answering on the restored data)`);
  print(`RPO ${hours} h (age of backup ${result.manifest.id})`);
  return {
    summary: `Restore drill passed on ${result.manifest.id}: RTO ${seconds(result.rtoMs)}, RPO ${hours} h`,
    details: { backup: result.manifest.id, rtoSeconds: (result.rtoMs / 1000).toFixed(1), rpoHours: hours },
  };
});
