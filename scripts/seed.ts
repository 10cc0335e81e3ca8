/** npm run seed: fill an empty database with the demo restaurants (README, "Demo accounts"). */
import { loadConfig } from '../src/config.js';
import { seedDemoDataIfEmpty } from '../src/demo/demo-seed.js';
import { createDatabase } from '../src/infra/db.js';
import { applyPendingMigrations } from '../src/infra/migrations/migrator.js';
import { lockDatabaseOrExit } from './lock-database.js';

const config = loadConfig(process.env);
if (config.isProduction) {
  console.error('Refusing to seed demo data: NODE_ENV=production.');
  process.exit(1);
}
lockDatabaseOrExit('seed', config.database);
const db = await createDatabase(config.database);
try {
  await applyPendingMigrations(db.adapterFactory);
  const seeded = await seedDemoDataIfEmpty(db.prisma);
  console.log(seeded ? 'Demo data seeded.' : 'The database already has restaurants: nothing seeded.');
} finally {
  await db.close();
}
