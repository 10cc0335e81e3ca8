import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { describe, expect, it } from 'vitest';
import { migrationNames, readPrismaSchema } from '../src/infra/migrations/migrations-folder.js';
import { applyPendingMigrations, diffMigrationsToSchema } from '../src/infra/migrations/migrator.js';

describe('migrations', () => {
  it('prisma/migrations carry everything schema.prisma describes (no drift)', async () => {
    expect(await diffMigrationsToSchema()).toBe('');
  });

  it('the drift check catches a field added to schema.prisma without a migration', async () => {
    const schema = await readPrismaSchema();
    const changed = schema.replace(/model Order \{\n/, 'model Order {\n  tableNumber Int?\n');
    expect(changed).not.toBe(schema);

    const sql = await diffMigrationsToSchema(changed);

    expect(sql).toContain('ALTER TABLE "Order" ADD COLUMN');
    expect(sql).toContain('"tableNumber" INTEGER');
  });

  it('apply every migration once, record them in _prisma_migrations, and create the raw-SQL partial indexes', async () => {
    const database = new PGlite();
    try {
      const factory = new PrismaPGlite(database);
      expect(await applyPendingMigrations(factory)).toEqual(await migrationNames());
      expect(await applyPendingMigrations(factory)).toEqual([]);

      const recorded = await database.query<{ migration_name: string }>(
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL',
      );
      expect(recorded.rows.map((row) => row.migration_name)).toEqual(await migrationNames());
      const partial = await database.query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%WHERE%' ORDER BY indexname",
      );
      expect(partial.rows.map((row) => row.indexname)).toEqual([
        'InventoryItem_low_stock_idx',
        'Task_open_due_idx',
        'TimeEntry_one_open_entry_key',
      ]);
    } finally {
      await database.close();
    }
  });
});
