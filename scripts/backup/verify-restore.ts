import type { BackupManifest } from '../../src/backup/manifest.js';
import { migrationNames } from '../../src/infra/migrations/migrations-folder.js';
import { BackupError } from './backup-error.js';
import { appliedMigrations, orphanedRows, type Query, rowCounts } from './database-facts.js';

/**
 * The restored copy against its manifest: the same tables with the same row counts, no row whose
 * foreign key points nowhere, the same applied migrations, and none unknown to this code. With
 * `exactMigrations` (the drill), `_prisma_migrations` must also equal prisma/migrations.
 */
export async function verifyRestored(query: Query, manifest: BackupManifest, options: { exactMigrations?: boolean } = {}) {
  const problems: string[] = [];
  const counts = await rowCounts(query);
  for (const table of new Set([...Object.keys(counts), ...Object.keys(manifest.rowCounts)])) {
    if (counts[table] !== manifest.rowCounts[table])
      problems.push(`${table}: ${counts[table] ?? 'missing'} rows, the manifest says ${manifest.rowCounts[table] ?? 'no such table'}`);
  }
  for (const { constraint, orphans } of await orphanedRows(query)) {
    if (orphans > 0) problems.push(`${constraint}: ${orphans} rows without their parent`);
  }
  const applied = await appliedMigrations(query);
  if (applied.join() !== manifest.migrations.join()) problems.push(`migrations ${applied.join(', ')} differ from the manifest's`);
  const known = await migrationNames();
  const unknown = applied.filter((name) => !known.includes(name));
  if (unknown.length) problems.push(`migrations unknown to this version of the code: ${unknown.join(', ')}`);
  const pending = known.filter((name) => !applied.includes(name));
  if (options.exactMigrations && pending.length) problems.push(`migrations not applied in the backup: ${pending.join(', ')}`);
  if (problems.length)
    throw new BackupError('VERIFICATION_FAILED', `restored data does not match backup ${manifest.id}: ${problems.join('; ')}`);
  return { tables: Object.keys(counts).length, rows: Object.values(counts).reduce((sum, count) => sum + count, 0), pending };
}
