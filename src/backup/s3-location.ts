import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Config } from '../config.js';
import type { BackupLocation, LocationOptions } from './backup-location.js';
import { type BackupManifest, manifestName, manifestSuffix, parseManifest } from './manifest.js';

type S3Config = Extract<Config['backup']['s3'], { kind: 's3' }>;

/** Dumps above this go up in parts of this size, four at a time (lib-storage's multipart upload). */
const partSizeBytes = 16 * 1024 * 1024;

/** `s3://bucket/prefix/…`: one prefix per environment (BACKUP_S3_PREFIX, default `servio/<NODE_ENV>`). */
export function createS3Location(config: S3Config, options: LocationOptions = {}): BackupLocation {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    // A copy: the SDK annotates the object it is given, and the config is frozen.
    credentials: config.credentials && { ...config.credentials },
  });
  const key = (name: string) => (config.prefix ? `${config.prefix}/${name}` : name);
  const encryption = {
    ServerSideEncryption: config.serverSideEncryption,
    SSEKMSKeyId: config.kmsKeyId,
  };
  const putManifest = (manifest: BackupManifest) =>
    client.send(
      new PutObjectCommand({
        Bucket: config.bucket,
        Key: key(manifestName(manifest)),
        Body: `${JSON.stringify(manifest, null, 2)}\n`,
        ContentType: 'application/json',
        ...encryption,
      }),
    );

  return {
    name: `s3://${config.bucket}/${config.prefix}`,
    async manifests() {
      const manifests: BackupManifest[] = [];
      const pages = paginateListObjectsV2({ client }, { Bucket: config.bucket, Prefix: config.prefix ? `${config.prefix}/` : undefined });
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (!object.Key?.endsWith(manifestSuffix)) continue;
          try {
            const response = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: object.Key }));
            manifests.push(
              parseManifest(await (response.Body as { transformToString(): Promise<string> }).transformToString(), object.Key),
            );
          } catch (error) {
            options.onInvalid?.(`s3://${config.bucket}/${object.Key}`, error);
          }
        }
      }
      return manifests;
    },
    async save(manifest, localDir) {
      const upload = new Upload({
        client,
        partSize: partSizeBytes,
        queueSize: 4,
        params: {
          Bucket: config.bucket,
          Key: key(manifest.file),
          Body: createReadStream(join(localDir, manifest.file)),
          ContentType: 'application/octet-stream',
          ...encryption,
        },
      });
      await upload.done();
      await putManifest(manifest);
    },
    async saveManifest(manifest) {
      await putManifest(manifest);
    },
    async fetch(manifest, localDir) {
      const response = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: key(manifest.file) }));
      await pipeline(response.Body as Readable, createWriteStream(join(localDir, manifest.file)));
    },
    async remove(manifest) {
      // Manifest first: a dump without a manifest is never listed, the reverse would be.
      for (const name of [manifestName(manifest), manifest.file]) {
        await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: key(name) }));
      }
    },
    close() {
      client.destroy();
    },
  };
}
