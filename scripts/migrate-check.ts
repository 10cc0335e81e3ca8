/** npm run db:migrate:check: fail when schema.prisma has changes no migration carries. */
import { diffMigrationsToSchema } from '../src/infra/migrations/migrator.js';

const sql = await diffMigrationsToSchema();
if (sql) {
  console.error(`schema.prisma and prisma/migrations have drifted. Run npm run db:migrate:create -- <name>. Missing SQL:\n${sql}`);
  process.exit(1);
}
console.log('schema.prisma matches prisma/migrations.');
