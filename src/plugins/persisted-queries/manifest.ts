import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type DefinitionNode, type DocumentNode, Kind, parse, print, visit } from 'graphql';

/** Apollo's persisted query manifest format, the one Apollo's client tooling reads and writes. */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: Array<{ id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }>;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * One manifest entry per operation in `sources`: the operation printed with the fragments it
 * uses, identified by the SHA-256 of that text (what clients send as `persistedQuery.sha256Hash`).
 */
export function buildManifest(sources: readonly string[]): PersistedQueryManifest {
  const definitions = sources.flatMap((source) => parse(source).definitions);
  const fragments = new Map(
    definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition]] : [])),
  );
  const operations = definitions.flatMap((definition) => {
    if (definition.kind !== Kind.OPERATION_DEFINITION) return [];
    if (!definition.name) throw new Error('Every persisted operation needs a name.');
    const body = print({ kind: Kind.DOCUMENT, definitions: [definition, ...fragmentsUsedBy(definition, fragments)] } as DocumentNode);
    return [{ id: sha256Hex(body), name: definition.name.value, type: definition.operation, body }];
  });
  const names = operations.map((operation) => operation.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new Error(`Two persisted operations are named "${duplicate}".`);
  return { format: 'apollo-persisted-query-manifest', version: 1, operations: operations.sort((a, b) => a.name.localeCompare(b.name)) };
}

function fragmentsUsedBy(root: DefinitionNode, fragments: Map<string, DefinitionNode>): DefinitionNode[] {
  const used = new Map<string, DefinitionNode>();
  const collect = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (!fragment) throw new Error(`Unknown fragment "${spread.name.value}".`);
        if (!used.has(spread.name.value)) {
          used.set(spread.name.value, fragment);
          collect(fragment);
        }
      },
    });
  collect(root);
  return [...used.values()];
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
