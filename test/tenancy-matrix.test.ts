import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  type GraphQLInputType,
  type GraphQLOutputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GuardedField, guardedFields } from '../src/directives/auth.directive.js';
import { ownerLookups, restaurantRowTypes, tenancyDeclarations } from '../src/modules/index.js';
import { loadTypeDefs } from '../src/schema.js';
import { connectGraphqlWs } from './testkit/graphql-ws-client.js';
import { aRestaurant, aTeam, aUser } from './testkit/seed-builder.js';
import { errorCode, type Json, startTestServer, type TestServer } from './testkit/test-server.js';

/**
 * Generated from the SDL: every restaurant-scoped root field and every guarded field of a federation
 * entity (through `_entities`) is tried against restaurant A by callers who are not A's — anonymous,
 * each role of restaurant B, a user of no restaurant, B's partner key with every scope — and must be
 * refused without writing anything of A's. A new field is covered without writing a test.
 */
const schema = buildSubgraphSchema({ typeDefs: loadTypeDefs() });
const guarded = guardedFields(schema, { ownerLookups, restaurantRowTypes, declarations: tenancyDeclarations });
const roots = new Set(['Query', 'Mutation', 'Subscription']);
/** Fields that read or write a restaurant's data (not the caller's own, `viewer`). */
const rootFields = guarded.filter((field) => roots.has(field.parent) && field.source.kind !== 'viewer');
const entityTypes = Object.values(schema.getTypeMap()).filter(
  (type) => isObjectType(type) && type.astNode?.directives?.some((directive) => directive.name.value === 'key'),
);
const entityFields = guarded.filter((field) => entityTypes.some((type) => type.name === field.parent) && field.source.kind === 'parent');
const refusals = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'PERSISTED_QUERY_NOT_ALLOWED'];

interface Victim {
  restaurantId: string;
  ids: Record<string, string>;
}

/** A literal of `type` for an argument or input field called `name`, naming restaurant A's objects. */
function literal(type: GraphQLInputType, name: string, victim: Victim, entity?: string): string {
  if (isNonNullType(type)) return literal(type.ofType, name, victim, entity);
  if (isListType(type)) return `[${literal(type.ofType, name, victim, entity)}]`;
  if (isEnumType(type)) return type.getValues()[0]?.name ?? 'null';
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((field) => isNonNullType(field.type) || field.name === 'id');
    return `{ ${fields.map((field) => `${field.name}: ${literal(field.type, field.name, victim, entity)}`).join(', ')} }`;
  }
  switch (type.name) {
    case 'ID':
      return JSON.stringify(idFor(name, victim, entity));
    case 'Int':
    case 'Float':
      return '1';
    case 'Boolean':
      return 'true';
    case 'DateTime':
      return '"2030-01-01T00:00:00.000Z"';
    case 'Decimal':
      return '"1"';
    case 'JSON':
      return '{}';
    default:
      return '"x"';
  }
}

function idFor(name: string, victim: Victim, entity: string | undefined): string {
  if (name === 'restaurantId') return victim.restaurantId;
  if (name === 'id') return (entity && victim.ids[entity]) ?? victim.restaurantId;
  const type = name.replace(/Id$/, '').replace(/^./, (first) => first.toUpperCase());
  return victim.ids[type] ?? victim.ids[{ Category: 'MenuCategory', Assignee: 'User' }[type] ?? ''] ?? victim.restaurantId;
}

const selectionOf = (type: GraphQLOutputType) => (isObjectType(getNamedType(type)) ? ' { __typename }' : '');

/** The whole operation that calls one root field with A's ids. */
function operationFor(field: GuardedField, victim: Victim): string {
  const root =
    field.parent === 'Query'
      ? schema.getQueryType()
      : field.parent === 'Mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  const definition = root?.getFields()[field.field];
  if (!definition) throw new Error(`no ${field.parent}.${field.field}`);
  const entity = field.source.kind === 'id' ? field.source.entity : undefined;
  const args = definition.args.filter((arg) => isNonNullType(arg.type) || ['restaurantId', 'id'].includes(arg.name));
  const argumentList = args.length
    ? `(${args.map((arg) => `${arg.name}: ${literal(arg.type, arg.name, victim, entity)}`).join(', ')})`
    : '';
  return `${field.parent.toLowerCase()} { ${field.field}${argumentList}${selectionOf(definition.type)} }`;
}

/** Every row of A's (restaurant-keyed tables), hashed: equal before and after means nothing was written. */
async function fingerprint(server: TestServer, restaurantId: string): Promise<string> {
  const prisma = server.infra.db.prisma;
  const tables = await prisma.$queryRaw<Array<{ table_name: string; column_name: string }>>`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND column_name IN ('restaurant_id', 'restaurantId')
    ORDER BY table_name`;
  const parts: string[] = [];
  for (const { table_name: table, column_name: column } of tables) {
    const [row] = await prisma.$queryRawUnsafe<Array<{ digest: string | null }>>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${table}" t WHERE "${column}" = $1`,
      restaurantId,
    );
    parts.push(`${table}:${row?.digest ?? 'empty'}`);
  }
  return parts.join(',');
}

describe('tenancy, generated from the SDL', () => {
  let server: TestServer;
  let victim: Victim;
  const callers: Array<{ name: string; headers: Record<string, string>; connectionParams?: Record<string, string> }> = [];

  beforeAll(async () => {
    server = await startTestServer();
    const prisma = server.infra.db.prisma;
    // Restaurant A, with one object of every owned entity type.
    const { restaurant, categories, stock } = await aRestaurant(prisma).withStock('Flour', 50).withCategory('Mains', 1).build();
    const owner = await aUser(prisma).memberOf(restaurant.id, 'OWNER').build();
    const staff = await aUser(prisma).memberOf(restaurant.id, 'STAFF').build();
    const asOwner = await server.loginAs(owner.email);
    const as = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => {
      const { body } = await server.graphql<Json>(query, variables, headers);
      if (!body.data) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const menuItem = categories[0]?.items[0];
    const order = await as(
      'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
      { input: { restaurantId: restaurant.id, idempotencyKey: 'tenancy-matrix', items: [{ menuItemId: menuItem?.id, quantity: 1 }] } },
      asOwner,
    );
    const task = await as(
      'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
      {
        input: { restaurantId: restaurant.id, title: 'Mop', assigneeId: staff.id },
      },
      asOwner,
    );
    const entry = await as(
      'mutation($r: ID!) { clockIn(restaurantId: $r) { id } }',
      { r: restaurant.id },
      await server.loginAs(staff.email),
    );
    const key = await as(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }',
      { input: { restaurantId: restaurant.id, partnerName: 'A partner', scopes: ['MENU_READ'] } },
      asOwner,
    );
    victim = {
      restaurantId: restaurant.id,
      ids: {
        Restaurant: restaurant.id,
        MenuCategory: categories[0]?.category.id ?? '',
        MenuItem: menuItem?.id ?? '',
        InventoryItem: stock[0]?.id ?? '',
        Order: order.createOrder.id,
        Task: task.createTask.id,
        TimeEntry: entry.clockIn.id,
        ApiKey: key.createApiKey.apiKey.id,
        User: staff.id,
      },
    };

    // Restaurant B's people and partner key, and a user of no restaurant.
    const team = await aTeam(server);
    const partner = await as(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      {
        input: {
          restaurantId: team.restaurant.id,
          partnerName: 'B partner',
          scopes: ['MENU_READ', 'ORDERS_READ', 'ORDERS_WRITE', 'INVENTORY_READ'],
        },
      },
      team.owner.headers,
    );
    const loner = await aUser(prisma).build();
    callers.push(
      { name: 'anonymous', headers: {}, connectionParams: {} },
      { name: "B's owner", headers: team.owner.headers, connectionParams: team.owner.headers },
      { name: "B's manager", headers: team.manager.headers, connectionParams: team.manager.headers },
      { name: "B's staff", headers: team.staff.headers, connectionParams: team.staff.headers },
      { name: 'a user of no restaurant', headers: await server.loginAs(loner.email) },
      {
        name: "B's partner key",
        headers: { 'x-api-key': partner.createApiKey.secret },
        connectionParams: { 'x-api-key': partner.createApiKey.secret },
      },
    );
  });
  afterAll(() => server?.close());

  it('finds the fields to try in the SDL', () => {
    expect(rootFields.length).toBeGreaterThan(40);
    expect(entityFields.length).toBeGreaterThan(10);
  });

  it('refuses every restaurant-scoped query and mutation on A to everyone not of A, writing nothing', async () => {
    const before = await fingerprint(server, victim.restaurantId);
    const accepted: string[] = [];
    for (const field of rootFields.filter((candidate) => candidate.parent !== 'Subscription')) {
      const operation = operationFor(field, victim);
      for (const caller of callers) {
        const { body } = await server.graphql<Json>(operation, undefined, caller.headers);
        const code = errorCode(body);
        if (!refusals.includes(code ?? '') || body.data?.[field.field])
          accepted.push(`${field.parent}.${field.field} by ${caller.name}: ${code ?? 'accepted'}`);
      }
    }
    expect(accepted).toEqual([]);
    expect(await fingerprint(server, victim.restaurantId)).toBe(before);
  });

  it("refuses every guarded field of A's federation entities through _entities", async () => {
    const accepted: string[] = [];
    for (const field of entityFields) {
      const type = schema.getType(field.parent);
      const definition = isObjectType(type) ? type.getFields()[field.field] : undefined;
      if (!definition) continue;
      const args = definition.args.filter((arg) => isNonNullType(arg.type));
      const argumentList = args.length ? `(${args.map((arg) => `${arg.name}: ${literal(arg.type, arg.name, victim)}`).join(', ')})` : '';
      const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${field.parent} { ${field.field}${argumentList}${selectionOf(definition.type)} } } }`;
      const representations = [{ __typename: field.parent, id: victim.ids[field.parent] }];
      for (const caller of callers) {
        const { body } = await server.graphql<Json>(query, { representations }, caller.headers);
        const code = errorCode(body);
        const value = body.data?._entities?.[0]?.[field.field];
        if (!refusals.includes(code ?? '') || (value !== null && value !== undefined))
          accepted.push(`${field.parent}.${field.field} by ${caller.name}: ${code ?? 'accepted'}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuses every restaurant-scoped subscription on A over WebSocket', async () => {
    const accepted: string[] = [];
    const subscriptions = rootFields.filter((field) => field.parent === 'Subscription');
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const field of subscriptions) {
      for (const caller of callers.filter((candidate) => candidate.connectionParams)) {
        const client = connectGraphqlWs(server, caller.connectionParams ?? {});
        const outcome = await new Promise<string>((resolve) => {
          client.subscribe(
            { query: operationFor(field, victim) },
            {
              next: (result) => resolve(String((result.errors?.[0]?.extensions as Json)?.code ?? 'accepted')),
              error: (error) => resolve(Array.isArray(error) ? String(error[0]?.extensions?.code) : `closed:${(error as Json)?.code}`),
              complete: () => resolve('completed without an error'),
            },
          );
        });
        await client.dispose();
        // An anonymous socket is closed at connection_init (4403): refused before any subscription.
        if (!refusals.includes(outcome) && outcome !== 'closed:4403') accepted.push(`${field.field} by ${caller.name}: ${outcome}`);
      }
    }
    expect(accepted).toEqual([]);
  });
});
