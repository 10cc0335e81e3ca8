import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Apollo's persisted query manifest format, written by `@apollo/generate-persisted-query-manifest`
 * (npm run persisted:build): ids are the SHA-256 of each body, which carries `__typename` as
 * Apollo Client sends it.
 */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: Array<{ id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }>;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** id → document text, from a manifest file; an empty map when the file does not exist. */
export function loadManifest(path: string): Map<string, string> {
  let manifest: PersistedQueryManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1) {
    throw new Error(`${path} is not an apollo-persisted-query-manifest, version 1.`);
  }
  return new Map(manifest.operations.map((operation) => [operation.id, operation.body]));
}
