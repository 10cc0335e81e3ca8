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

/** What the server takes from a manifest file. */
export interface LoadedManifest {
  /** id → document text. */
  documents: ReadonlyMap<string, string>;
  /** The names of its operations: the only operation names the server knows (and labels metrics by). */
  operationNames: ReadonlySet<string>;
}

/** A manifest file's documents and operation names; none when the file does not exist. */
export function loadManifest(path: string): LoadedManifest {
  let manifest: PersistedQueryManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { documents: new Map(), operationNames: new Set() };
    throw error;
  }
  if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1) {
    throw new Error(`${path} is not an apollo-persisted-query-manifest, version 1.`);
  }
  return {
    documents: new Map(manifest.operations.map((operation) => [operation.id, operation.body])),
    operationNames: new Set(manifest.operations.map((operation) => operation.name)),
  };
}
