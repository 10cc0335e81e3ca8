/**
 * npm run schema:print: writes contract/subgraph.graphql and contract/schema.graphql from schema/.
 * Refuses while a breaking change for clients is not acknowledged (see schema:check), so the
 * committed contract cannot move past a break silently.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { buildContract, contractPaths, describeChanges, readAcknowledgements, unacknowledgedBreakingChanges } from './contract.js';

const contract = buildContract();
if (existsSync(contractPaths.client)) {
  const breaking = await unacknowledgedBreakingChanges(
    readFileSync(contractPaths.client, 'utf8'),
    contract.clientSdl,
    readAcknowledgements(),
  );
  if (breaking.length > 0) {
    console.error(`Not written: unacknowledged breaking changes (see ${contractPaths.acknowledged}):\n${describeChanges(breaking)}`);
    process.exit(1);
  }
}
writeFileSync(contractPaths.subgraph, contract.subgraphSdl);
writeFileSync(contractPaths.client, contract.clientSdl);
console.log(`Wrote ${contractPaths.subgraph} and ${contractPaths.client}`);
