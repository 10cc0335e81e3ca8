import { globSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillRealisticData } from './testkit/realistic-data.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { startTestServer, type TestServer } from './testkit/test-server.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];

/** The guide's index table: `| \`Index_name\` | Table | OperationName, … |` rows under "## Indexes". */
function guideIndexes(): Map<string, { table: string; operations: string[] }> {
  const guide = readFileSync(new URL('../docs/query-optimization.md', import.meta.url), 'utf8');
  const section = guide.slice(guide.indexOf('## Indexes'), guide.indexOf('\n## ', guide.indexOf('## Indexes') + 1));
  const rows = [...section.matchAll(/^\|\s*`(\w+)`\s*\|\s*(\w+)\s*\|([^|]*)\|/gm)];
  return new Map(
    rows.map(([, name, table, used]) => [
      name as string,
      { table: table as string, operations: [...(used as string).matchAll(/`(\w+)`/g)].map((m) => m[1] as string) },
    ]),
  );
}

/**
 * Evidence for docs/query-optimization.md: on ~170,000 generated rows, the SQL each main operation
 * really sends is EXPLAINed, and must read its big table through the index the guide names for it.
 */
describe('query plans on a realistically sized data set', () => {
  let server: TestServer;
  let restaurantId: string;
  let ownerHeaders: { authorization: string };
  let staffHeaders: { authorization: string };
  let staffId: string;

  beforeAll(async () => {
    server = await startTestServer();
    const prisma = server.infra.db.prisma;
    const { restaurant } = await aRestaurant(prisma).build();
    restaurantId = restaurant.id;
    const owner = await aUser(prisma).memberOf(restaurant.id, 'OWNER').build();
    const staff = await aUser(prisma).memberOf(restaurant.id, 'STAFF').build();
    staffId = staff.id;
    // PostgreSQL (CI) gets the full ~170,000 rows; embedded PGlite a quarter, still far past a sequential-scan-friendly size.
    await fillRealisticData(prisma, { restaurantId, userId: staff.id }, server.infra.db.kind === 'postgres' ? 1 : 0.25);
    [ownerHeaders, staffHeaders] = await Promise.all([server.loginAs(owner.email), server.loginAs(staff.email)]);
  }, 240_000);
  afterAll(() => server?.close());

  /** Runs the operation, EXPLAINs every statement it sent on `table`: how `table` is read, and through which indexes. */
  async function scansOf(table: string, query: string, variables: Record<string, unknown>, headers: { authorization: string }) {
    const statements: Array<{ query: string; params: string }> = [];
    const stop = server.infra.db.onQuery((event) => statements.push(event));
    try {
      const { body } = await server.graphql(query, variables, headers);
      expect(body.errors).toBeUndefined();
    } finally {
      stop();
    }
    // Prisma's statements name the schema; the hand-written ones (the order page) do not.
    const onTable = statements.filter((statement) => new RegExp(`FROM (?:"public"\\.)?"${table}"`).test(statement.query));
    expect(onTable.length).toBeGreaterThan(0);
    const nodes: PlanNode[] = [];
    for (const statement of onTable) {
      const rows = await server.infra.db.prisma.$queryRawUnsafe<Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>>(
        `EXPLAIN (FORMAT JSON) ${statement.query}`,
        ...(JSON.parse(statement.params) as unknown[]),
      );
      const plan = rows[0]?.['QUERY PLAN'][0]?.Plan as PlanNode;
      nodes.push(...flatten(plan));
    }
    // A bitmap scan names its index on the child node, which has no relation: index names start with the table's.
    return {
      scanTypes: nodes.filter((node) => node['Relation Name'] === table).map((node) => node['Node Type']),
      indexes: nodes.map((node) => node['Index Name']).filter((name): name is string => name?.startsWith(`${table}_`) ?? false),
    };
  }

  const since = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const cases = [
    {
      operation: 'OrdersByStatus',
      table: 'Order',
      query: `query OrdersByStatus($restaurantId: ID!, $from: DateTime) { orders(restaurantId: $restaurantId, status: PENDING, from: $from, first: 50) { edges { node { id } } } }`,
      variables: () => ({ restaurantId, from: since }),
      as: () => ownerHeaders,
    },
    {
      operation: 'LowStock',
      table: 'InventoryItem',
      query: 'query LowStock($restaurantId: ID!) { lowStock(restaurantId: $restaurantId) { id name } }',
      variables: () => ({ restaurantId }),
      as: () => ownerHeaders,
    },
    {
      operation: 'MyOpenTasks',
      table: 'Task',
      query: 'query MyOpenTasks { myTasks(status: OPEN, first: 50) { id title } }',
      variables: () => ({}),
      as: () => staffHeaders,
    },
    {
      operation: 'TimeEntriesOfUser',
      table: 'TimeEntry',
      query: `query TimeEntriesOfUser($restaurantId: ID!, $userId: ID!, $from: DateTime) { timeEntries(restaurantId: $restaurantId, userId: $userId, from: $from, first: 50) { id clockInAt } }`,
      variables: () => ({ restaurantId, userId: staffId, from: since }),
      as: () => ownerHeaders,
    },
    {
      operation: 'AuditOfEntity',
      table: 'AuditLog',
      query: `query AuditOfEntity($restaurantId: ID!, $entityId: String) { auditLogs(restaurantId: $restaurantId, entityType: "Order", entityId: $entityId, first: 20) { edges { node { id action } } } }`,
      variables: () => ({ restaurantId, entityId: 'order-1' }),
      as: () => ownerHeaders,
    },
  ];

  for (const testCase of cases) {
    it(`${testCase.operation} reads ${testCase.table} through the index the guide names, without a sequential scan`, async () => {
      const { scanTypes, indexes } = await scansOf(testCase.table, testCase.query, testCase.variables(), testCase.as());
      const documented = [...guideIndexes()].filter(([, row]) => row.operations.includes(testCase.operation)).map(([name]) => name);
      expect(documented, `docs/query-optimization.md names no index for ${testCase.operation}`).not.toEqual([]);
      expect(scanTypes).not.toContain('Seq Scan');
      expect(
        indexes.filter((name) => documented.includes(name)),
        `plan used ${indexes.join(', ') || 'no index'}`,
      ).not.toEqual([]);
    });
  }

  it("the guide's index table is exactly the indexes the migrations create", () => {
    const root = new URL('..', import.meta.url);
    const sql = globSync('prisma/migrations/*/migration.sql', { cwd: root })
      .map((file) => readFileSync(new URL(file, root), 'utf8'))
      .join('\n');
    const migrations = [...sql.matchAll(/CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?"(\w+)" ON "(\w+)"/g)];
    const fromMigrations = new Map(migrations.map(([, name, table]) => [name as string, table as string]));
    const guide = guideIndexes();
    expect(
      [...fromMigrations.keys()].filter((name) => !guide.has(name)),
      'indexes missing from the guide',
    ).toEqual([]);
    expect(
      [...guide.keys()].filter((name) => !fromMigrations.has(name)),
      'indexes in the guide but in no migration',
    ).toEqual([]);
    for (const [name, row] of guide) expect(`${name} on ${row.table}`).toBe(`${name} on ${fromMigrations.get(name)}`);
  });
});
