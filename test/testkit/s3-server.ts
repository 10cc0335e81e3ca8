import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/**
 * A local server speaking the S3 protocol (s3rver, files in a temp directory) with one empty
 * bucket; the real AWS SDK talks to it with path-style URLs and any credentials.
 */
export async function startS3Server(bucket = 'servio-backups') {
  const directory = await mkdtemp(join(tmpdir(), 'servio-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  /** `ObjectCreated:Put <key>`, `ObjectCreated:Post <key>` (a completed multipart upload), … in order. */
  const events: string[] = [];
  (server as unknown as import('node:events').EventEmitter).on(
    'event',
    (event: { Records: Array<{ eventName: string; s3: { object: { key: string } } }> }) => {
      for (const record of event.Records) events.push(`${record.eventName} ${record.s3.object.key}`);
    },
  );
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    bucket,
    endpoint,
    events,
    /** The BACKUP_S3_* variables pointing at this server. */
    env: {
      BACKUP_S3_BUCKET: bucket,
      BACKUP_S3_ENDPOINT: endpoint,
      BACKUP_S3_FORCE_PATH_STYLE: 'true',
      BACKUP_S3_ACCESS_KEY_ID: 'S3RVER',
      BACKUP_S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
