import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEmbeddedTarget } from '../scripts/backup/embedded-target.js';
import { restoreBackup } from '../scripts/backup/restore-backup.js';
import { takeBackup } from '../scripts/backup/take-backup.js';
import type { BackupManifest } from '../src/backup/manifest.js';
import { loadConfig } from '../src/config.js';
import { holdDataDir } from './testkit/data-dir-holder.js';
import { createScratchDatabase, migrateAndSeed, pgFingerprints, pgliteFingerprints } from './testkit/scratch-database.js';

const baseUrl = inject('databaseUrl');

describe('the embedded database (PGlite): backed up with its own pg_dump, restored anywhere', () => {
  let root: string;
  let dataDir: string;
  let manifest: BackupManifest;
  const config = (env: Record<string, string> = {}) =>
    loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', EMBEDDED_DATA_DIR: dataDir, BACKUP_DIR: join(root, 'backups'), ...env });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'servio-embedded-backup-'));
    dataDir = join(root, 'pglite');
    await migrateAndSeed({ kind: 'embedded', dataDir });
    manifest = await takeBackup({ config: config() });
  }, 120_000);
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('writes a gzipped SQL dump whose manifest counts the rows', async () => {
    const fingerprints = await pgliteFingerprints(dataDir);
    expect(manifest).toMatchObject({ format: 'sql-gzip', source: { kind: 'embedded', dumpTool: '@electric-sql/pglite-tools pg_dump' } });
    expect(manifest.file).toMatch(/\.sql\.gz$/);
    expect(manifest.rowCounts).toEqual(Object.fromEntries(Object.entries(fingerprints).map(([table, { rows }]) => [table, rows])));
    expect(manifest.rowCounts.Order).toBeGreaterThan(300);
  });

  it('restores into a new embedded data directory with every row intact', async () => {
    const restoredDir = join(root, 'restored');
    await restoreBackup({ config: config({ EMBEDDED_DATA_DIR: restoredDir }), reference: 'latest' });
    expect(await pgliteFingerprints(restoredDir)).toEqual(await pgliteFingerprints(dataDir));
  }, 120_000);

  it.skipIf(!baseUrl)(
    'restores into PostgreSQL: the way off the embedded default',
    async () => {
      const target = await createScratchDatabase(baseUrl as string, 'fromlite');
      try {
        await restoreBackup({ config: config({ DATABASE_URL: target.url }), reference: join(root, 'backups', manifest.file) });
        expect(await pgFingerprints(target.url)).toEqual(await pgliteFingerprints(dataDir));
      } finally {
        await target.drop();
      }
    },
    120_000,
  );

  it('refuses to back up or restore while a server holds the data folder, and leaves it as it was', async () => {
    const before = await pgliteFingerprints(dataDir);
    const holder = await holdDataDir(dataDir);
    const inUse = {
      name: 'BackupError',
      code: 'DATABASE_IN_USE',
      message: `The embedded database ${dataDir} is in use by another process (pid ${holder.pid}): stop it, or set EMBEDDED_DATA_DIR to another folder.`,
    };
    try {
      await expect(takeBackup({ config: config() })).rejects.toMatchObject(inUse);
      await expect(restoreBackup({ config: config(), reference: 'latest', force: true })).rejects.toMatchObject(inUse);
      // A server started while a restore was loading its scratch copy: the swap is refused too.
      const target = createEmbeddedTarget(dataDir);
      const scratch = await target.createScratch();
      await expect(target.promote(scratch)).rejects.toMatchObject(inUse);
      await scratch.dispose();
    } finally {
      await holder.release();
    }
    expect(await pgliteFingerprints(dataDir)).toEqual(before);
    // No lock, scratch copy or retired folder left beside it.
    expect((await readdir(root)).filter((name) => name.startsWith('pglite'))).toEqual(['pglite']);
  }, 120_000);
});
