import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import pg from 'pg';
import { BackupError } from './backup-error.js';
import { type Query, rowCounts } from './database-facts.js';
import { connectionArgs, requireToolFor, runTool } from './pg-tools.js';
import { dumpAsSql, type RestoreTarget, type Scratch } from './restore-target.js';

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The same server, another database (`postgres` for administration). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A PostgreSQL database as a restore target. The dump goes into a new database on the same
 * server (one transaction), is verified there, and only then replaces the target by renaming both
 * in one transaction: the target is never seen half-restored, and any failure before the swap
 * leaves it exactly as it was. Needs CREATEDB (and ownership of the target) on the server.
 */
export function createPostgresTarget(url: string): RestoreTarget {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) throw new BackupError('BAD_ARGUMENTS', 'the target URL names no database');
  const adminUrl = withDatabase(url, 'postgres');
  const admin = <T>(work: (client: pg.Client) => Promise<T>) => withClient(adminUrl, work);
  const exists = () => admin(async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);

  return {
    name,
    database: { kind: 'postgres', url },
    async rowCounts() {
      if (!(await exists())) return null;
      return withClient(url, (client) => rowCounts(async (sql) => (await client.query(sql)).rows));
    },
    async createScratch() {
      const scratchName = `${name.slice(0, 40)}_restore_${randomBytes(4).toString('hex')}`;
      const scratchUrl = withDatabase(url, scratchName);
      await admin((client) => client.query(`CREATE DATABASE ${ident(scratchName)}`));
      const scratch: Scratch = {
        name: scratchName,
        database: { kind: 'postgres', url: scratchUrl },
        async load(file, manifest) {
          const { dbname, env } = connectionArgs(scratchUrl);
          const versionNum = await admin(async (client) =>
            Number((await client.query('SHOW server_version_num')).rows[0].server_version_num),
          );
          if (manifest.format === 'pg-custom') {
            await requireToolFor('pg_restore', versionNum);
            await runTool('pg_restore', ['--single-transaction', '--exit-on-error', '--no-owner', '--no-acl', `--dbname=${dbname}`, file], {
              env,
            });
          } else {
            await requireToolFor('psql', versionNum);
            const sql = await dumpAsSql(file, manifest);
            await runTool('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', `--dbname=${dbname}`, '-f', '-'], {
              env,
              input: Readable.from([sql]),
            });
          }
        },
        withQuery: (work) => withClient(scratchUrl, (client) => work((async (sql) => (await client.query(sql)).rows) as Query)),
        dispose: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${ident(scratchName)} WITH (FORCE)`)).then(() => undefined),
      };
      return scratch;
    },
    async promote(scratch) {
      const retired = `${name.slice(0, 40)}_retired_${randomBytes(4).toString('hex')}`;
      const present = await exists();
      await admin(async (client) => {
        // Connections to the target are closed (the API's pool reconnects, to the restored data);
        // one that slips in before the rename makes it fail, and the transaction retries.
        for (let attempt = 1; ; attempt++) {
          try {
            await closeConnections(client, name);
            await client.query('BEGIN');
            if (present) await client.query(`ALTER DATABASE ${ident(name)} RENAME TO ${ident(retired)}`);
            await client.query(`ALTER DATABASE ${ident(scratch.name)} RENAME TO ${ident(name)}`);
            await client.query('COMMIT');
            break;
          } catch (error) {
            await client.query('ROLLBACK');
            if (attempt >= 10 || !String(error).includes('being accessed by other users')) throw error;
          }
        }
        if (present) await client.query(`DROP DATABASE IF EXISTS ${ident(retired)} WITH (FORCE)`);
      });
    },
  };
}

/** Terminates every session on `database` and waits (up to 5 s) until they are gone. */
async function closeConnections(client: pg.Client, database: string) {
  const deadline = Date.now() + 5_000;
  const others = 'FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()';
  await client.query(`SELECT pg_terminate_backend(pid) ${others}`, [database]);
  while ((await client.query(`SELECT 1 ${others}`, [database])).rowCount && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
