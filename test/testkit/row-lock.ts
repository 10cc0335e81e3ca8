import pg from 'pg';
import { expect } from 'vitest';

/** How many backends the locks of `client`'s transaction hold up: its own only, since other suites share the database. */
export async function backendsHeldUp(client: pg.Client): Promise<number> {
  const { rows } = await client.query(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))',
  );
  return rows[0].n;
}

/**
 * A request raced by another writer: another connection locks a row (`SELECT … FOR UPDATE`), `start` sends
 * the request, and once the request waits for that lock, `meanwhile` changes data in the holding
 * transaction, which then commits. Answers what `start` answered.
 */
export async function whileRowLocked<T>(
  databaseUrl: string,
  row: { table: 'Order' | 'Restaurant' | 'InventoryItem'; id: string },
  start: () => Promise<T>,
  meanwhile: (other: pg.Client) => Promise<void>,
): Promise<T> {
  const other = new pg.Client({ connectionString: databaseUrl });
  await other.connect();
  try {
    await other.query('BEGIN');
    await other.query(`SELECT id FROM "${row.table}" WHERE id = $1 FOR UPDATE`, [row.id]);
    const answer = start();
    await expect.poll(() => backendsHeldUp(other), { timeout: 30_000 }).toBe(1);
    await meanwhile(other);
    await other.query('COMMIT');
    return await answer;
  } finally {
    await other.end();
  }
}
