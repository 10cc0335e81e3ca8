import pg from 'pg';
import { StartupError } from './startup-error.js';

/** Fails with one line when PostgreSQL does not accept a connection, before the pool and migrations start. */
export async function assertDatabaseReachable(url: string, timeoutMs: number): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new StartupError(`${describe(url)} ${reason(error)}: start it, or fix DATABASE_URL.`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Where, without the password. */
function describe(url: string): string {
  const { hostname, port, pathname } = new URL(url);
  return `PostgreSQL at ${hostname}:${port || 5432} (database "${decodeURIComponent(pathname.slice(1)) || 'postgres'}")`;
}

function reason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ECONNREFUSED') return 'refused the connection (is it running?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'has a host name that does not resolve';
  if (code === '28P01' || code === '28000') return 'refused the credentials';
  if (code === '3D000') return 'has no such database';
  if (/timeout/i.test(message ?? '')) return 'did not answer in time';
  return `is unreachable (${code ?? message})`;
}
