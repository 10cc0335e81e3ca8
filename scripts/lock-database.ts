import type { Config } from '../src/config.js';
import { lockDataDir } from '../src/startup/data-dir-lock.js';

/**
 * The lock the server takes on an embedded data folder (a second process opening it corrupts it),
 * for a script about to open it; PostgreSQL and in-memory databases need none. Held until the script
 * exits; when the server (or another script) holds it, the script stops with one line.
 */
export function lockDatabaseOrExit(script: string, database: Config['database']): void {
  if (database.kind !== 'embedded' || database.dataDir.startsWith('memory://')) return;
  try {
    lockDataDir(database.dataDir);
  } catch (error) {
    process.stderr.write(`${script}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
