import { buildSubgraphSchema } from '@apollo/subgraph';
import { concatAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { authDirectiveTransformer, guardedFields } from '../src/directives/auth.directive.js';
import { ownerLookups, restaurantRowTypes, tenancyDeclarations } from '../src/modules/index.js';
import { loadTypeDefs } from '../src/schema.js';

const tenancy = { ownerLookups, restaurantRowTypes, declarations: tenancyDeclarations };

/** The real SDL plus `extra`, as the subgraph is built at start-up (resolvers don't matter here). */
const schemaWith = (extra: string) => buildSubgraphSchema({ typeDefs: concatAST([loadTypeDefs(), parse(extra)]) });

describe('tenancy is closed by default, decided when the schema is built', () => {
  it('gives every @auth/@scope field of the real schema a tenant source', () => {
    const guarded = guardedFields(schemaWith('scalar Unused'), tenancy);

    const byCoordinate = Object.fromEntries(guarded.map((field) => [`${field.parent}.${field.field}`, field.source.kind]));
    expect(byCoordinate['Query.orders']).toBe('argument');
    expect(byCoordinate['Mutation.updateOrderStatus']).toBe('id');
    expect(byCoordinate['Order.items']).toBe('parent');
    expect(byCoordinate['Query.me']).toBe('viewer');
    expect(byCoordinate['Mutation.adjustInventory']).toBe('id');
    expect(guarded.length).toBeGreaterThan(50);
  });

  it('refuses to start with a guarded field that names no restaurant, naming the field', () => {
    const schema = schemaWith(`
      extend type Query {
        "Reads something of some restaurant: but whose?"
        secretReport(code: String!): String @auth(requires: MANAGER)
      }
    `);

    expect(() => authDirectiveTransformer(tenancy)(schema)).toThrow(
      /Query\.secretReport is guarded by @auth\/@scope but names no restaurant/,
    );
  });

  it('refuses an id argument of a type without an owner lookup (it would read any tenant by id)', () => {
    const schema = schemaWith(`
      "Not an owned entity."
      type Gadget { id: ID! }
      extend type Mutation {
        "Deletes a gadget."
        deleteGadget(id: ID!): Gadget @auth(requires: OWNER)
      }
    `);

    expect(() => authDirectiveTransformer(tenancy)(schema)).toThrow(/Mutation\.deleteGadget/);
  });

  it('refuses a stale declaration and a declaration that contradicts the schema', () => {
    const schema = schemaWith('scalar Unused');
    const stale = { ...tenancy, declarations: { ...tenancyDeclarations, 'Query.gone': 'viewer' as const } };
    const contradicting = { ...tenancy, declarations: { ...tenancyDeclarations, 'Query.orders': 'viewer' as const } };

    expect(() => authDirectiveTransformer(stale)(schema)).toThrow(/declared for Query\.gone, which is not a guarded field/);
    expect(() => authDirectiveTransformer(contradicting)(schema)).toThrow(
      /Query\.orders is declared "viewer" but the field is already scoped by its argument/,
    );
  });

  it('accepts the same field once its module declares how it is scoped', () => {
    const schema = schemaWith(`
      extend type Query {
        "The caller's own report."
        myReport: String @auth(requires: STAFF)
      }
    `);
    const declared = { ...tenancy, declarations: { ...tenancyDeclarations, 'Query.myReport': 'viewer' as const } };

    expect(() => authDirectiveTransformer(declared)(schema)).not.toThrow();
  });
});
