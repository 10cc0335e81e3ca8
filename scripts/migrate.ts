/** npm run db:migrate: apply pending migrations to DATABASE_URL, or to the embedded database. */
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/infra/db.js';
import { applyPendingMigrations } from '../src/infra/migrations/migrator.js';
import { lockDatabaseOrExit } from './lock-database.js';

const config = loadConfig(process.env);
lockDatabaseOrExit('db:migrate', config.database);
const db = await createDatabase(config.database);
try {
  const applied = await applyPendingMigrations(db.adapterFactory);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database schema is up to date.');
} finally {
  await db.close();
}
