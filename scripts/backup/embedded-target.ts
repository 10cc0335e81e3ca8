import { randomBytes } from 'node:crypto';
import { access, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Query } from './database-facts.js';
import { rowCounts } from './database-facts.js';
import { dumpAsSql, type RestoreTarget, type Scratch } from './restore-target.js';
import { withDataDirLock } from './with-data-dir-lock.js';

async function withPglite<T>(dataDir: string, work: (query: Query) => Promise<T>): Promise<T> {
  const pglite = await PGlite.create(dataDir);
  try {
    return await work(async (sql) => (await pglite.query<Record<string, unknown>>(sql)).rows);
  } finally {
    await pglite.close();
  }
}

/**
 * The embedded database (EMBEDDED_DATA_DIR) as a restore target: the dump is loaded into a new
 * data directory beside it, verified, then the directories are swapped. The server must be stopped:
 * reading and swapping the folder take its lock, and are refused while the server holds it.
 */
export function createEmbeddedTarget(dataDir: string): RestoreTarget {
  const target = resolve(dataDir);
  const present = () =>
    access(join(target, 'PG_VERSION')).then(
      () => true,
      () => false,
    );
  return {
    name: target,
    database: { kind: 'embedded', dataDir: target },
    async rowCounts() {
      return (await present()) ? withDataDirLock(target, () => withPglite(target, rowCounts)) : null;
    },
    async createScratch() {
      const scratchDir = `${target}.restore-${randomBytes(4).toString('hex')}`;
      const scratch: Scratch = {
        name: scratchDir,
        database: { kind: 'embedded', dataDir: scratchDir },
        async load(file, manifest) {
          const sql = await dumpAsSql(file, manifest);
          const pglite = await PGlite.create(scratchDir);
          try {
            // One transaction: PGlite runs the whole script or, on the first error, none of it.
            await pglite.transaction((tx) => tx.exec(sql));
          } finally {
            await pglite.close();
          }
        },
        withQuery: (work) => withPglite(scratchDir, work),
        dispose: () => rm(scratchDir, { recursive: true, force: true }),
      };
      return scratch;
    },
    // Under the lock: a server started since the checks must not have its folder renamed away.
    promote: (scratch) =>
      withDataDirLock(target, async () => {
        const retired = `${target}.retired-${randomBytes(4).toString('hex')}`;
        const existed = await present();
        if (existed) await rename(target, retired);
        try {
          await rename(scratch.name, target);
        } catch (error) {
          if (existed) await rename(retired, target);
          throw error;
        }
        if (existed) await rm(retired, { recursive: true, force: true });
      }),
  };
}
