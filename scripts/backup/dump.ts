import { createWriteStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import pg from 'pg';
import { BackupError } from './backup-error.js';
import { appliedMigrations, type Query, rowCounts } from './database-facts.js';
import { connectionArgs, requireToolFor, runTool } from './pg-tools.js';
import { withDataDirLock } from './with-data-dir-lock.js';

/** What a dump learned about its source, in the same snapshot as the data it wrote. */
export interface DumpFacts {
  format: 'pg-custom' | 'sql-gzip';
  database: string;
  serverVersion: string;
  dumpTool: string;
  migrations: string[];
  rowCounts: Record<string, number>;
}

/** host:port/database: enough to recognise the source, never its credentials. */
export function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

/**
 * pg_dump in custom format (compressed, restorable table by table). The row counts and migrations
 * are read in a REPEATABLE READ transaction whose snapshot pg_dump is given (--snapshot), so the
 * manifest describes exactly the rows in the dump, however busy the database is.
 */
export async function dumpPostgres(url: string, file: string): Promise<DumpFacts> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const query: Query = async (sql) => (await client.query(sql)).rows;
    const [version] = await query("SELECT current_setting('server_version_num')::int AS num, current_setting('server_version') AS text");
    const dumpTool = await requireToolFor('pg_dump', Number(version?.num));
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const [snapshot] = await query('SELECT pg_export_snapshot() AS id');
    const facts = { rowCounts: await rowCounts(query), migrations: await appliedMigrations(query) };
    const { dbname, env } = connectionArgs(url);
    await runTool('pg_dump', ['--format=custom', '--compress=6', `--snapshot=${snapshot?.id}`, `--file=${file}`, `--dbname=${dbname}`], {
      env,
    });
    await client.query('COMMIT');
    return { format: 'pg-custom', database: describeUrl(url), serverVersion: String(version?.text), dumpTool, ...facts };
  } finally {
    await client.end();
  }
}

/**
 * The embedded database through PGlite's own pg_dump (WebAssembly): plain SQL, gzipped. PGlite has
 * one connection and this process holds it, so the counts and the dump see the same data; the
 * server must be stopped first (a data directory is opened by one process at a time: its lock says so).
 */
export async function dumpEmbedded(dataDir: string, file: string): Promise<DumpFacts> {
  await access(dataDir).catch(() => {
    throw new BackupError('NOT_FOUND', `no embedded database at ${dataDir} (EMBEDDED_DATA_DIR)`);
  });
  return withDataDirLock(dataDir, async (): Promise<DumpFacts> => {
    const pglite = await PGlite.create(dataDir);
    try {
      const query: Query = async (sql) => (await pglite.query<Record<string, unknown>>(sql)).rows;
      const [version] = await query("SELECT current_setting('server_version') AS text");
      const facts = { rowCounts: await rowCounts(query), migrations: await appliedMigrations(query) };
      const dump = await pgDump({ pg: pglite, args: ['--no-owner', '--no-privileges'] });
      await pipeline(Readable.fromWeb(dump.stream() as WebReadableStream<Uint8Array>), createGzip(), createWriteStream(file));
      return {
        format: 'sql-gzip',
        database: dataDir,
        serverVersion: `${version?.text} (PGlite)`,
        dumpTool: '@electric-sql/pglite-tools pg_dump',
        ...facts,
      };
    } finally {
      await pglite.close();
    }
  });
}

/** pg_restore reads the archive's table of contents: a dump it cannot list is not kept as a backup. */
export async function checkArchive(file: string): Promise<void> {
  await runTool('pg_restore', ['--list', file]);
}
