import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { seedDemoData } from '../../src/demo/demo-seed.js';
import { createDatabase } from '../../src/infra/db.js';
import { applyPendingMigrations } from '../../src/infra/migrations/migrator.js';

/** Runs `work` on a connection to `url` (the run's server), closed afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Names of databases on the server whose name starts with `prefix` (leftover scratch copies). */
export function databasesLike(baseUrl: string, prefix: string): Promise<string[]> {
  return withClient(baseUrl, async (client) =>
    (await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix])).rows.map(
      (row) => row.datname,
    ),
  );
}

/**
 * A database of its own on the run's server (name from the run's database + `suffix` + random),
 * optionally migrated and seeded with the demo data. `drop()` removes it.
 */
export async function createScratchDatabase(baseUrl: string, suffix: string, options: { seed?: boolean } = {}) {
  const name = `${new URL(baseUrl).pathname.slice(1).slice(0, 30)}_${suffix}_${randomBytes(3).toString('hex')}`;
  await withClient(baseUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  if (options.seed)
    await migrateAndSeed(loadConfig({ NODE_ENV: 'test', DATABASE_URL: url.toString(), DB_POOL_MIN: '0', DB_POOL_MAX: '2' }).database);
  return {
    name,
    url: url.toString(),
    drop: () => withClient(baseUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

/** Applies the migrations and the demo data to a configured database (PostgreSQL or a PGlite directory). */
export async function migrateAndSeed(database: ReturnType<typeof loadConfig>['database']) {
  const db = await createDatabase(database);
  try {
    await applyPendingMigrations(db.adapterFactory);
    await seedDemoData(db.prisma, new Date('2026-11-01T12:00:00Z'));
  } finally {
    await db.close();
  }
}

/** A query function over a pg client or a PGlite instance. */
type Rows = (sql: string) => Promise<Array<Record<string, unknown>>>;

/**
 * Row count and an MD5 of every row's text per table (sorted, in UTC): equal hashes mean equal
 * contents, whatever the physical order the restore produced.
 */
export async function tableFingerprints(query: Rows): Promise<Record<string, { rows: number; md5: string }>> {
  await query("SET TimeZone = 'UTC'");
  const tables = await query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const result: Record<string, { rows: number; md5: string }> = {};
  for (const { tablename } of tables) {
    const [row] = await query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS h FROM "${String(tablename)}" t`,
    );
    result[String(tablename)] = { rows: Number(row?.n), md5: String(row?.h) };
  }
  return result;
}

export const pgFingerprints = (url: string) =>
  withClient(url, (client) => tableFingerprints(async (sql) => (await client.query(sql)).rows));

export async function pgliteFingerprints(dataDir: string) {
  const pglite = await PGlite.create(dataDir);
  try {
    return await tableFingerprints(async (sql) => (await pglite.query<Record<string, unknown>>(sql)).rows);
  } finally {
    await pglite.close();
  }
}
