import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildContract, contractPaths, readAcknowledgements, unacknowledgedBreakingChanges } from '../scripts/schema/contract.js';

const contract = buildContract();
const committedClientSdl = await readFile(contractPaths.client, 'utf8');

describe('the schema contract (npm run schema:print / schema:check)', () => {
  it('commits the subgraph SDL and the client schema exactly as schema/ produces them', async () => {
    expect(await readFile(contractPaths.subgraph, 'utf8')).toBe(contract.subgraphSdl);
    expect(committedClientSdl).toBe(contract.clientSdl);
    expect(contract.subgraphSdl).toMatch(/type Restaurant\s+@key\(fields: "id"\)/);
    // Clients see no federation machinery.
    expect(contract.clientSdl).not.toMatch(/@key|@link|@shareable|_service|_entities|_Any/);
    expect(contract.clientSdl).toMatch(/type Restaurant \{/);
  });

  it('has no breaking change for clients that is not acknowledged with a reason', async () => {
    expect(await unacknowledgedBreakingChanges(committedClientSdl, contract.clientSdl, readAcknowledgements())).toEqual([]);
  });

  it('reports a removed field as breaking until it is acknowledged', async () => {
    const withoutField = committedClientSdl.replace(
      `  """\n  The client's key that makes retries of createOrder safe.\n  """\n  idempotencyKey: String!\n`,
      '',
    );
    expect(withoutField).not.toBe(committedClientSdl);

    const breaking = await unacknowledgedBreakingChanges(committedClientSdl, withoutField, []);
    expect(breaking.map((change) => [change.type, change.path])).toEqual([['FIELD_REMOVED', 'Order.idempotencyKey']]);
    const acknowledged = [{ type: 'FIELD_REMOVED', path: 'Order.idempotencyKey', reason: 'replaced by the Idempotency-Key header' }];
    expect(await unacknowledgedBreakingChanges(committedClientSdl, withoutField, acknowledged)).toEqual([]);
    // Additions are never breaking.
    const withField = committedClientSdl.replace(/^type Order \{\n/m, 'type Order {\n  courierNote: String\n');
    expect(await unacknowledgedBreakingChanges(committedClientSdl, withField, [])).toEqual([]);
  });
});
