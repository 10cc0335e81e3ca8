import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StartupError } from './startup-error.js';

/**
 * Claims the embedded database folder for this process: `<folder>.lock` holds our pid. A second
 * server on the same folder would corrupt it (PGlite aborts deep in WebAssembly), so it is refused
 * with one line; a lock left by a process that no longer runs is taken over. Released on exit, or
 * earlier by calling the function returned (the backup and admin scripts hold it only while they work).
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = `${resolve(dataDir)}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      const unlock = () => {
        process.off('exit', unlock);
        release(lockPath);
      };
      process.once('exit', unlock);
      return unlock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    if (isRunning(holder)) {
      throw new StartupError(
        `The embedded database ${dataDir} is in use by another process (pid ${holder}): stop it, or set EMBEDDED_DATA_DIR to another folder.`,
      );
    }
    release(lockPath); // stale: its process is gone
  }
  throw new StartupError(`Could not lock the embedded database ${dataDir} (${lockPath}): another server is starting on it.`);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function release(lockPath: string): void {
  try {
    unlinkSync(lockPath);
  } catch {
    // already gone
  }
}
