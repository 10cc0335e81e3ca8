import type { Config } from '../config.js';
import { lockDataDir } from './data-dir-lock.js';
import { assertDatabaseReachable } from './database-check.js';
import { assertPortFree } from './port-check.js';

/**
 * The problems an operator can fix, each found before any slow work (opening the database,
 * migrations) and reported as one line: the port, the embedded data folder, PostgreSQL.
 * Bad configuration is found earlier still, by loadConfig.
 */
export async function runStartupChecks(config: Config): Promise<void> {
  await assertPortFree(config.http.host, config.http.port);
  if (config.database.kind === 'embedded') {
    if (!config.database.dataDir.startsWith('memory://')) lockDataDir(config.database.dataDir);
  } else {
    await assertDatabaseReachable(config.database.url, config.database.pool.connectionTimeoutMs);
  }
}
