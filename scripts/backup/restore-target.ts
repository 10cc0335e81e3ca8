import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback } from 'node:zlib';
import type { BackupManifest } from '../../src/backup/manifest.js';
import type { Query } from './database-facts.js';
import { runTool } from './pg-tools.js';

const gunzip = promisify(gunzipCallback);

/** A database by location only: what dumps and restores need of Config['database']. */
export type DatabaseRef = { kind: 'postgres'; url: string } | { kind: 'embedded'; dataDir: string };

/** A copy being restored that nothing uses yet: loaded, checked, then promoted or disposed of. */
export interface Scratch {
  readonly name: string;
  /** The copy as a database configuration (the drill starts the API on it). */
  readonly database: DatabaseRef;
  load(file: string, manifest: BackupManifest): Promise<void>;
  /** Runs `work` with a connection to the copy, closed afterwards. */
  withQuery<T>(work: (query: Query) => Promise<T>): Promise<T>;
  /** Drops the copy (idempotent). */
  dispose(): Promise<void>;
}

/** Where a restore goes: a PostgreSQL database, or the embedded data directory. */
export interface RestoreTarget {
  /** The database name or directory, which `--confirm` must repeat in production. */
  readonly name: string;
  readonly database: DatabaseRef;
  /** Row counts per table, or null when the target does not exist yet. */
  rowCounts(): Promise<Record<string, number> | null>;
  createScratch(): Promise<Scratch>;
  /** Puts the scratch copy in the target's place in one step; the old data is dropped after. */
  promote(scratch: Scratch): Promise<void>;
}

/** PGlite's pg_dump is PostgreSQL 17's: settings older servers do not know, and that change nothing here. */
const newerSettings = /^SET transaction_timeout = .*$/gm;

/** A dump as plain SQL, from either format (pg_restore turns a custom archive into SQL). */
export async function dumpAsSql(file: string, manifest: BackupManifest): Promise<string> {
  const sql =
    manifest.format === 'sql-gzip'
      ? (await gunzip(await readFile(file))).toString('utf8')
      : await runTool('pg_restore', ['--no-owner', '--no-acl', '--file=-', file]);
  return sql.replace(newerSettings, '-- $&');
}
