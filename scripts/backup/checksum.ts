import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { BackupManifest } from '../../src/backup/manifest.js';
import { BackupError } from './backup-error.js';

export async function fileDigest(file: string): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return { sha256: hash.digest('hex'), sizeBytes: (await stat(file)).size };
}

/** Before anything is touched: a truncated or altered dump is refused, naming what differs. */
export async function verifyChecksum(file: string, manifest: BackupManifest): Promise<void> {
  const actual = await fileDigest(file).catch(() => null);
  if (!actual) throw new BackupError('NOT_FOUND', `${file} is missing (backup ${manifest.id})`);
  if (actual.sizeBytes !== manifest.sizeBytes)
    throw new BackupError(
      'CHECKSUM_MISMATCH',
      `${file} is ${actual.sizeBytes} bytes, the manifest says ${manifest.sizeBytes}: the file is truncated or altered; refusing to restore`,
    );
  if (actual.sha256 !== manifest.sha256)
    throw new BackupError('CHECKSUM_MISMATCH', `${file} does not match its manifest's SHA-256: the file is corrupt; refusing to restore`);
}
