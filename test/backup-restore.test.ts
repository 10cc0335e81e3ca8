import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fileDigest } from '../scripts/backup/checksum.js';
import { restoreBackup } from '../scripts/backup/restore-backup.js';
import { takeBackup } from '../scripts/backup/take-backup.js';
import { createLocalLocation } from '../src/backup/local-location.js';
import type { BackupManifest } from '../src/backup/manifest.js';
import { loadConfig } from '../src/config.js';
import { migrationNames } from '../src/infra/migrations/migrations-folder.js';
import { createScratchDatabase, databasesLike, pgFingerprints } from './testkit/scratch-database.js';

const gzip = promisify(gzipCallback);
const baseUrl = inject('databaseUrl');
if (!baseUrl) console.info('backup-restore: skipped, PostgreSQL tests need TEST_DATABASE_URL (CI sets it)');

describe.skipIf(!baseUrl)('db:backup and db:restore on PostgreSQL', () => {
  const url = baseUrl as string;
  const dropped: Array<() => Promise<unknown>> = [];
  let dir: string;
  let source: Awaited<ReturnType<typeof createScratchDatabase>>;
  let target: Awaited<ReturnType<typeof createScratchDatabase>>;
  let manifest: BackupManifest;
  const configFor = (databaseUrl: string, env: Record<string, string> = {}) =>
    loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, BACKUP_DIR: dir, ...env });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'servio-backups-'));
    source = await createScratchDatabase(url, 'bksrc', { seed: true });
    target = await createScratchDatabase(url, 'bktgt');
    dropped.push(source.drop, target.drop);
    manifest = await takeBackup({ config: configFor(source.url) });
  }, 60_000);
  afterAll(async () => {
    for (const drop of dropped) await drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a compressed custom-format dump and a manifest describing it', async () => {
    const fingerprints = await pgFingerprints(source.url);
    expect(manifest).toMatchObject({ format: 'pg-custom', label: 'manual', environment: 'test', source: { kind: 'postgres' } });
    expect(manifest.source.database).toBe(`127.0.0.1:5432/${source.name}`);
    expect(manifest.source.dumpTool).toMatch(/^pg_dump \(PostgreSQL\) \d+/);
    expect(await fileDigest(join(dir, manifest.file))).toEqual({ sha256: manifest.sha256, sizeBytes: manifest.sizeBytes });
    expect(manifest.rowCounts).toEqual(Object.fromEntries(Object.entries(fingerprints).map(([table, { rows }]) => [table, rows])));
    expect(manifest.rowCounts.Order).toBeGreaterThan(300);
    expect(manifest.lastMigration).toBe((await migrationNames()).at(-1));
    expect(Date.parse(manifest.finishedAt) - Date.parse(manifest.startedAt)).toBe(manifest.durationMs);
    // Custom format is compressed: far smaller than the rows it holds as text.
    expect(manifest.sizeBytes).toBeLessThan(1_000_000);
  });

  it('restores into an empty database: every table has the same rows and content', async () => {
    const result = await restoreBackup({ config: configFor(target.url), reference: join(dir, manifest.file) });
    expect(result.preRestore).toBeNull();
    expect(await pgFingerprints(target.url)).toEqual(await pgFingerprints(source.url));
    expect(await databasesLike(url, `${target.name}_restore_`)).toEqual([]);
  });

  it('refuses a flipped byte or a truncated file before touching the target', async () => {
    const before = await pgFingerprints(target.url);
    const copies = await mkdtemp(join(tmpdir(), 'servio-corrupt-'));
    dropped.push(() => rm(copies, { recursive: true, force: true }));
    await copyFile(join(dir, `${manifest.id}.manifest.json`), join(copies, `${manifest.id}.manifest.json`));
    const bytes = await readFile(join(dir, manifest.file));
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] as number) ^ 0x01;
    await writeFile(join(copies, manifest.file), bytes);
    await expect(
      restoreBackup({ config: configFor(target.url), reference: join(copies, manifest.file), force: true }),
    ).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', message: expect.stringContaining('corrupt') });

    await copyFile(join(dir, manifest.file), join(copies, manifest.file));
    await truncate(join(copies, manifest.file), manifest.sizeBytes - 100);
    await expect(
      restoreBackup({ config: configFor(target.url), reference: join(copies, manifest.file), force: true }),
    ).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', message: expect.stringContaining('truncated') });
    expect(await pgFingerprints(target.url)).toEqual(before);
  });

  it('refuses a database with data unless --force, and in production without --confirm <name>', async () => {
    const reference = join(dir, manifest.file);
    await expect(restoreBackup({ config: configFor(target.url), reference })).rejects.toMatchObject({
      code: 'TARGET_HAS_DATA',
      message: expect.stringContaining('--force'),
    });
    const production = configFor(target.url, {
      NODE_ENV: 'production',
      REDIS_URL: 'redis://127.0.0.1:1',
      JWT_SECRET: randomBytes(32).toString('base64'),
    });
    await expect(restoreBackup({ config: production, reference, force: true, confirm: 'servio' })).rejects.toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
      message: expect.stringContaining(`--confirm ${target.name}`),
    });
  });

  it('with --force, takes a pre-restore backup of the target first', async () => {
    const before = await pgFingerprints(target.url);
    const result = await restoreBackup({ config: configFor(target.url), reference: 'latest', force: true });
    expect(result.preRestore).toMatchObject({ label: 'pre-restore', source: { database: `127.0.0.1:5432/${target.name}` } });
    expect(result.preRestore?.rowCounts).toEqual(Object.fromEntries(Object.entries(before).map(([table, { rows }]) => [table, rows])));
    expect(await pgFingerprints(target.url)).toEqual(await pgFingerprints(source.url));
  });

  it('leaves the target as it was when the restore fails half-way or does not verify', async () => {
    const before = await pgFingerprints(target.url);
    const location = createLocalLocation(dir);
    // A dump whose first statements succeed and a later one fails.
    const sql = 'CREATE TABLE "Half" (id int);\nINSERT INTO "Half" VALUES (1);\nINSERT INTO "Half" VALUES (\'not a number\');\n';
    await writeFile(join(dir, 'half.sql.gz'), await gzip(sql));
    const half: BackupManifest = {
      ...manifest,
      id: 'half',
      file: 'half.sql.gz',
      format: 'sql-gzip',
      ...(await fileDigest(join(dir, 'half.sql.gz'))),
    };
    await location.saveManifest(half);
    await expect(restoreBackup({ config: configFor(target.url), reference: 'half', force: true })).rejects.toMatchObject({
      code: 'TOOL_FAILED',
      message: expect.stringContaining('invalid input syntax'),
    });

    // A genuine dump whose manifest expects other row counts: loaded, then refused by verification.
    const miscounted: BackupManifest = { ...manifest, id: 'miscounted', rowCounts: { ...manifest.rowCounts, Order: 1 } };
    await copyFile(join(dir, manifest.file), join(dir, 'miscounted.dump'));
    await location.saveManifest({ ...miscounted, file: 'miscounted.dump' });
    await expect(restoreBackup({ config: configFor(target.url), reference: 'miscounted', force: true })).rejects.toMatchObject({
      code: 'VERIFICATION_FAILED',
      message: expect.stringContaining('Order: '),
    });

    expect(await pgFingerprints(target.url)).toEqual(before);
    expect(await databasesLike(url, `${target.name}_restore_`)).toEqual([]);
    await location.remove(half);
    await location.remove({ ...miscounted, file: 'miscounted.dump' });
  });
});
