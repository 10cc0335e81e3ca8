import { lockDataDir } from '../../src/startup/data-dir-lock.js';
import { StartupError } from '../../src/startup/startup-error.js';
import { BackupError } from './backup-error.js';

/**
 * Runs `work` holding the embedded data folder's lock, the one the server takes at start: dumping a
 * folder the server has open, or renaming it away under the server, would corrupt it. Refused with
 * the server's own one-line message when another process holds it.
 */
export async function withDataDirLock<T>(dataDir: string, work: () => Promise<T>): Promise<T> {
  let unlock: () => void;
  try {
    unlock = lockDataDir(dataDir);
  } catch (error) {
    if (error instanceof StartupError) throw new BackupError('DATABASE_IN_USE', error.message);
    throw error;
  }
  try {
    return await work();
  } finally {
    unlock();
  }
}
