import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileDigest } from '../scripts/backup/checksum.js';
import { applyRetention } from '../scripts/backup/retention.js';
import { createBackupLocations } from '../src/backup/backup-location.js';
import { createLocalLocation } from '../src/backup/local-location.js';
import type { BackupManifest } from '../src/backup/manifest.js';
import { createS3Location } from '../src/backup/s3-location.js';
import { loadConfig } from '../src/config.js';
import { writeFakeBackup } from './testkit/backup-fixtures.js';
import { startS3Server } from './testkit/s3-server.js';

const now = new Date('2026-11-30T12:00:00Z');
const day = 86_400_000;
const fakeBackup = (dir: string, id: string, ageDays: number, bytes?: number, extra?: Partial<BackupManifest>) =>
  writeFakeBackup(dir, id, new Date(now.getTime() - ageDays * day), bytes, extra);

describe('backups in S3-compatible storage (s3rver, the real AWS SDK)', () => {
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let dir: string;
  const config = () =>
    loadConfig({ NODE_ENV: 'test', BACKUP_DIR: dir, ...s3.env, BACKUP_S3_PREFIX: 'servio/test', BACKUP_S3_SSE: 'AES256' });

  beforeAll(async () => {
    s3 = await startS3Server();
    dir = await mkdtemp(join(tmpdir(), 'servio-s3-backups-'));
  });
  afterAll(async () => {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('uploads a large dump in parts under the environment prefix, lists, downloads and deletes it', async () => {
    const backupConfig = config().backup;
    const [, bucket] = await createBackupLocations(backupConfig);
    expect(bucket?.name).toBe('s3://servio-backups/servio/test');
    // 40 MB: above the 16 MB part size, so lib-storage uploads it in three parts.
    const manifest = await fakeBackup(dir, 'large', 0, 40 * 1024 * 1024);
    await bucket?.save(manifest, dir);

    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: 'servio/test/large.dump' }));
    expect(head.ContentLength).toBe(manifest.sizeBytes);
    // The dump went up as a multipart upload (completed by a POST), the manifest after it by a PUT.
    expect(s3.events).toEqual(['ObjectCreated:Post servio/test/large.dump', 'ObjectCreated:Put servio/test/large.manifest.json']);
    const stored = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'servio/test/large.manifest.json' }));
    expect(JSON.parse(await (stored.Body as { transformToString(): Promise<string> }).transformToString())).toEqual(manifest);

    expect(await bucket?.manifests()).toEqual([manifest]);
    const downloads = await mkdtemp(join(tmpdir(), 'servio-s3-download-'));
    await bucket?.fetch(manifest, downloads);
    expect(await fileDigest(join(downloads, manifest.file))).toEqual({ sha256: manifest.sha256, sizeBytes: manifest.sizeBytes });
    await rm(downloads, { recursive: true, force: true });

    await bucket?.remove(manifest);
    expect(await bucket?.manifests()).toEqual([]);
    await expect(client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: 'servio/test/large.dump' }))).rejects.toMatchObject({
      name: 'NotFound',
    });
    await rm(join(dir, manifest.file));
  });

  it('retention deletes old backups locally and in the bucket, keeping the newest and the newest verified', async () => {
    const s3Config = config().backup.s3;
    if (s3Config.kind !== 's3') throw new Error('S3 is configured in this test');
    const local = createLocalLocation(dir);
    const bucket = createS3Location(s3Config);
    const backups = [
      await fakeBackup(dir, 'verified-old', 60, 1024, { verifiedAt: new Date(now.getTime() - 59 * day).toISOString() }),
      await fakeBackup(dir, 'unverified-old', 45),
      await fakeBackup(dir, 'expired', 31),
      await fakeBackup(dir, 'recent', 3),
    ];
    for (const backup of backups) {
      await local.save(backup, dir);
      await bucket.save(backup, dir);
    }
    const results = await applyRetention([local, bucket], { retentionDays: 30, now: () => now });
    for (const result of results) {
      expect(result.deleted.sort()).toEqual(['expired', 'unverified-old']);
      expect(result.kept.sort()).toEqual(['recent', 'verified-old']);
    }
    expect((await local.manifests()).map((manifest) => manifest.id).sort()).toEqual(['recent', 'verified-old']);
    expect((await bucket.manifests()).map((manifest) => manifest.id).sort()).toEqual(['recent', 'verified-old']);
    expect((await readdir(dir)).sort()).toEqual(['recent.dump', 'recent.manifest.json', 'verified-old.dump', 'verified-old.manifest.json']);

    // Everything past retention: the newest backup survives even so.
    const later = await applyRetention([local, bucket], { retentionDays: 1, now: () => new Date(now.getTime() + 90 * day) });
    expect(later.map((result) => result.kept.sort())).toEqual([
      ['recent', 'verified-old'],
      ['recent', 'verified-old'],
    ]);
  });
});
