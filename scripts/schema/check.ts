/**
 * npm run schema:check: fails when the schema in schema/ breaks clients of the committed
 * contract/schema.graphql, unless contract/acknowledged-breaking-changes.json lists the change
 * with a reason. Also fails when contract/ is not what npm run schema:print would write.
 */
import { readFileSync } from 'node:fs';
import { buildContract, contractPaths, describeChanges, readAcknowledgements, unacknowledgedBreakingChanges } from './contract.js';

const contract = buildContract();
const breaking = await unacknowledgedBreakingChanges(
  readFileSync(contractPaths.client, 'utf8'),
  contract.clientSdl,
  readAcknowledgements(),
);
if (breaking.length > 0) {
  console.error(
    `Breaking changes for clients (acknowledge each in ${contractPaths.acknowledged} with a reason):\n${describeChanges(breaking)}`,
  );
  process.exit(1);
}
const stale = [
  [contractPaths.subgraph, contract.subgraphSdl],
  [contractPaths.client, contract.clientSdl],
].filter(([path, sdl]) => readFileSync(path as string, 'utf8') !== sdl);
if (stale.length > 0) {
  console.error(`Out of date (run npm run schema:print and commit): ${stale.map(([path]) => path).join(', ')}`);
  process.exit(1);
}
console.log('The schema is compatible with the committed contract, and contract/ is current.');
