/**
 * npm run db:migrate:create -- <name>: write prisma/migrations/<timestamp>_<name>/migration.sql
 * with the SQL that takes the migration history to what prisma/schema.prisma describes.
 * Review it, add raw SQL Prisma cannot express (partial indexes), and commit it.
 */

import { writeMigration } from '../src/infra/migrations/migrations-folder.js';
import { diffMigrationsToSchema } from '../src/infra/migrations/migrator.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run db:migrate:create -- <name>   (lower case, digits and _ only)');
  process.exit(1);
}
const sql = await diffMigrationsToSchema();
if (!sql) {
  console.log('schema.prisma matches the migrations: nothing to write.');
} else {
  const folder = await writeMigration(name, `${sql}\n`);
  console.log(`Wrote prisma/migrations/${folder}/migration.sql`);
}
