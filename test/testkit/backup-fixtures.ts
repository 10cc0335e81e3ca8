import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileDigest } from '../../scripts/backup/checksum.js';
import type { BackupManifest } from '../../src/backup/manifest.js';

/**
 * A backup in `dir` whose dump is `bytes` random bytes, finished at `finishedAt`, with a correct
 * checksum: for retention, storage and monitoring tests that need backups of chosen ages, not content.
 */
export async function writeFakeBackup(
  dir: string,
  id: string,
  finishedAt: Date,
  bytes = 1024,
  extra: Partial<BackupManifest> = {},
): Promise<BackupManifest> {
  const file = `${id}.dump`;
  await writeFile(join(dir, file), randomBytes(bytes));
  return {
    formatVersion: 1,
    id,
    file,
    format: 'pg-custom',
    ...(await fileDigest(join(dir, file))),
    label: 'scheduled',
    environment: 'test',
    source: { kind: 'postgres', database: '127.0.0.1:5432/servio', serverVersion: '15', dumpTool: 'pg_dump 15' },
    migrations: ['m1'],
    lastMigration: 'm1',
    rowCounts: { Order: 1 },
    startedAt: new Date(finishedAt.getTime() - 10).toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: 10,
    ...extra,
  };
}
