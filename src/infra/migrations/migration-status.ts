import type { Db } from '../db.js';
import { migrationNames } from './migrations-folder.js';

/** Names of migrations in prisma/migrations that the database has not (successfully) applied. */
export async function pendingMigrations(prisma: Db): Promise<string[]> {
  const expected = await migrationNames();
  const applied = await prisma.$queryRaw<Array<{ migration_name: string }>>`
    SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`.catch((error: unknown) => {
    // No _prisma_migrations table yet: nothing has been applied.
    if (String(error).includes('_prisma_migrations')) return [];
    throw error;
  });
  const appliedNames = new Set(applied.map((row) => row.migration_name));
  return expected.filter((name) => !appliedNames.has(name));
}
