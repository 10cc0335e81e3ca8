import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import { composeServices } from '@theguild/federation-composition';
import { buildSchema, parse } from 'graphql';
import { loadTypeDefs } from '../../src/schema.js';

/** contract/: the schema as published, committed so every change to it shows in review. */
const contractDir = fileURLToPath(new URL('../../contract/', import.meta.url));
export const contractPaths = {
  /** What the gateway composes (`_service { sdl }`), federation directives included. */
  subgraph: `${contractDir}subgraph.graphql`,
  /** What clients see through the gateway: federation resolved away. */
  client: `${contractDir}schema.graphql`,
  /** Breaking changes made on purpose, each with the reason. */
  acknowledged: `${contractDir}acknowledged-breaking-changes.json`,
};

export interface Contract {
  subgraphSdl: string;
  clientSdl: string;
}

/** The subgraph SDL from schema/, and the client schema a supergraph of it alone exposes. */
export function buildContract(): Contract {
  const subgraphSdl = `${printSubgraphSchema(buildSubgraphSchema({ typeDefs: loadTypeDefs() })).trim()}\n`;
  const composed = composeServices([{ name: 'servio', typeDefs: parse(subgraphSdl), url: 'http://servio/graphql' }]);
  if (composed.errors) throw new Error(`The subgraph does not compose:\n${composed.errors.map((error) => error.message).join('\n')}`);
  return { subgraphSdl, clientSdl: `${composed.publicSdl.trim()}\n` };
}

export interface Acknowledgement {
  /** graphql-inspector's change type, e.g. FIELD_REMOVED. */
  type: string;
  /** The schema coordinate, e.g. Order.notes. */
  path: string;
  reason: string;
}

export function readAcknowledgements(path = contractPaths.acknowledged): Acknowledgement[] {
  const acknowledgements = JSON.parse(readFileSync(path, 'utf8')) as Acknowledgement[];
  const unexplained = acknowledgements.filter((entry) => !entry.reason?.trim());
  if (unexplained.length > 0)
    throw new Error(`Every acknowledged breaking change needs a reason: ${unexplained.map((entry) => entry.path).join(', ')}`);
  return acknowledgements;
}

/** The breaking changes from `previousSdl` to `nextSdl` that no acknowledgement covers. */
export async function unacknowledgedBreakingChanges(
  previousSdl: string,
  nextSdl: string,
  acknowledgements: readonly Acknowledgement[],
): Promise<Change[]> {
  const changes = await diff(buildSchema(previousSdl), buildSchema(nextSdl));
  return changes.filter(
    (change) =>
      change.criticality.level === CriticalityLevel.Breaking &&
      !acknowledgements.some((entry) => entry.type === change.type && entry.path === change.path),
  );
}

export function describeChanges(changes: readonly Change[]): string {
  return changes.map((change) => `  ${change.type} ${change.path ?? ''}: ${change.message}`).join('\n');
}
