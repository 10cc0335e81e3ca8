/** npm run db:restore -- <latest | path | id/bucket key> [--force] [--confirm <database>] (README, "Backups"). */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { BackupError } from './backup-error.js';
import { runJob, seconds } from './job.js';
import { restoreBackup } from './restore-backup.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { force: { type: 'boolean', default: false }, confirm: { type: 'string' } },
});

await runJob({ name: 'restore', title: 'Database restore' }, async ({ config, print }) => {
  const reference = positionals[0];
  if (!reference || positionals.length > 1)
    throw new BackupError(
      'BAD_ARGUMENTS',
      'usage: npm run db:restore -- <latest | backup file | backup id or bucket key> [--force] [--confirm <database>]',
    );
  let confirm = values.confirm ?? null;
  // In production, someone at a terminal types the database's name instead of passing --confirm.
  if (config.isProduction && confirm === null && process.stdin.isTTY) {
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    confirm = (await prompt.question('NODE_ENV=production. Type the target database name to restore over it: ')).trim();
    prompt.close();
  }
  const result = await restoreBackup({ config, reference, force: values.force, confirm, log: print });
  print(
    `Restore done in ${seconds(result.durationMs)}${result.preRestore ? ` (the previous data is in backup ${result.preRestore.id})` : ''}`,
  );
  return {
    summary: `Backup ${result.manifest.id} restored into ${result.target} in ${seconds(result.durationMs)}`,
    details: { backup: result.manifest.id, target: result.target, preRestore: result.preRestore?.id ?? 'none' },
  };
});
