/** Runs one SQL statement and returns its rows: a pg client or PGlite behind the same shape. */
export type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Tables of the public schema (the application's), sorted. */
export async function tableNames(query: Query): Promise<string[]> {
  const rows = await query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  return rows.map((row) => String(row.tablename));
}

/** Rows per table, in one statement (one snapshot when run inside a transaction). */
export async function rowCounts(query: Query): Promise<Record<string, number>> {
  const tables = await tableNames(query);
  if (tables.length === 0) return {};
  const rows = await query(
    tables.map((table) => `SELECT '${table.replaceAll("'", "''")}' AS t, count(*)::bigint AS n FROM ${ident(table)}`).join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((row) => [String(row.t), Number(row.n)]));
}

/** Applied migrations, oldest first; empty when the database was never migrated. */
export async function appliedMigrations(query: Query): Promise<string[]> {
  const exists = await query(`SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS present`);
  if (!exists[0]?.present) return [];
  const rows = await query(
    'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
  );
  return rows.map((row) => String(row.migration_name));
}

/** Any row outside `_prisma_migrations` counts as data a restore must not silently replace. */
export function hasData(counts: Record<string, number>): boolean {
  return Object.entries(counts).some(([table, count]) => table !== '_prisma_migrations' && count > 0);
}

/**
 * Rows whose foreign key points at no parent, per constraint. The constraints themselves would
 * catch these only if they were restored and validated; this checks the data, whatever the DDL did.
 */
export async function orphanedRows(query: Query): Promise<Array<{ constraint: string; orphans: number }>> {
  const constraints = await query(`
    SELECT con.conname AS name, child.relname AS child, parent.relname AS parent,
      (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num) AS child_columns,
      (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num) AS parent_columns
    FROM pg_constraint con
    JOIN pg_class child ON child.oid = con.conrelid
    JOIN pg_class parent ON parent.oid = con.confrelid
    JOIN pg_namespace ns ON ns.oid = child.relnamespace
    WHERE con.contype = 'f' AND ns.nspname = 'public'
    ORDER BY con.conname`);
  const results = [];
  for (const row of constraints) {
    const childColumns = row.child_columns as string[];
    const parentColumns = row.parent_columns as string[];
    const set = childColumns.map((column) => `c.${ident(column)} IS NOT NULL`).join(' AND ');
    const join = childColumns.map((column, index) => `p.${ident(parentColumns[index] as string)} = c.${ident(column)}`).join(' AND ');
    const [count] = await query(
      `SELECT count(*)::bigint AS n FROM ${ident(String(row.child))} c WHERE ${set} AND NOT EXISTS (SELECT 1 FROM ${ident(String(row.parent))} p WHERE ${join})`,
    );
    results.push({ constraint: String(row.name), orphans: Number(count?.n) });
  }
  return results;
}
