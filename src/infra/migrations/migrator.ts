import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { readMigrationsFolder, readPrismaSchema } from './migrations-folder.js';
import { createSchemaEngine, withScratchSchemaEngine } from './schema-engine.js';

const noFilters = { externalTables: [], externalEnums: [] };

/** Applies every migration of prisma/migrations the database has not seen; returns their names. */
export async function applyPendingMigrations(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const engine = await createSchemaEngine(await readPrismaSchema(), adapterFactory);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: await readMigrationsFolder(), filters: noFilters });
    return appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * The SQL that takes a database built by the migrations to what schema.prisma describes;
 * empty when the two agree. What `prisma migrate diff --from-migrations --to-schema` prints.
 */
export async function diffMigrationsToSchema(schema?: string): Promise<string> {
  schema ??= await readPrismaSchema();
  const migrations = await readMigrationsFolder();
  const hasHistory = migrations.migrationDirectories.length > 0;
  const target = schema;
  return withScratchSchemaEngine(target, async (engine) => {
    const result = await engine.diff({
      from: hasHistory ? { tag: 'migrations', ...migrations } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: target }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const sql = result.stdout ?? '';
    return sql.includes('This is an empty migration.') ? '' : sql.trim();
  });
}
