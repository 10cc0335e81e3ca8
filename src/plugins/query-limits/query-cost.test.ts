import { buildSchema, type GraphQLSchema, getIntrospectionQuery, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../../test/testkit/thrown.js';
import { createCostEstimator } from './cost-estimator.js';
import { estimateQueryCost } from './query-cost.js';
import { QueryLimitError } from './query-limit-error.js';

const schema = buildSchema(/* GraphQL */ `
  directive @cost(weight: Int = 1, assumedSize: Int) on FIELD_DEFINITION
  scalar _Any
  type Query {
    shop: Shop
    products(first: Int): [Product!]!
    orders(limit: Int = 20): [Order!]!
    reviews: [Review!]! @cost(assumedSize: 3)
    customers: [Customer!]!
    report: Report @cost(weight: 50)
    productPage(first: Int!): ProductPage
    productConnection(first: Int, after: String): ProductConnection! @cost(assumedSize: 5)
    _entities(representations: [_Any!]!): [Entity]!
  }
  type Shop { name: String! tags: [String!]! }
  type Product { id: ID! name: String! related(first: Int): ProductConnection! }
  type Order { id: ID! }
  type Review { id: ID! }
  type Customer { id: ID! }
  type Report { id: ID! }
  type ProductPage { total: Int! nodes: [Product!]! }
  type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! totalCount: Int! }
  type ProductEdge { cursor: String! node: Product! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  union Entity = Product | Order
`);

function cost(query: string, variables: Record<string, unknown> = {}, options: { schema?: GraphQLSchema; maxListSize?: number } = {}) {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) throw new Error('no operation');
  const target = options.schema ?? schema;
  return estimateQueryCost({
    schema: target,
    document,
    operation,
    variables,
    estimator: createCostEstimator(target, { maxListSize: options.maxListSize ?? 100 }),
    maxCost: 1000,
  });
}

const thrown = (work: () => unknown) => thrownBy(work, QueryLimitError);

describe('query cost', () => {
  it('charges 1 per field by default, plus the selection of objects', () => {
    expect(cost('{ shop { name } }')).toBe(2);
  });

  it('reads @cost(weight)', () => {
    expect(cost('{ report { id } }')).toBe(51);
  });

  it('multiplies a list by its first argument, variables resolved', () => {
    expect(cost('{ products(first: 5) { id name } }')).toBe(1 + 5 * 2);
    expect(cost('query ($n: Int) { products(first: $n) { id } }', { n: 7 })).toBe(1 + 7);
  });

  it('uses the default value of a limit argument the client left out', () => {
    expect(cost('{ orders { id } }')).toBe(1 + 20);
  });

  it('assumes @cost(assumedSize), else 10, for a list without a size argument', () => {
    expect(cost('{ reviews { id } }')).toBe(1 + 3);
    expect(cost('{ customers { id } }')).toBe(1 + 10);
    expect(cost('query ($n: Int) { products(first: $n) { id } }')).toBe(1 + 10);
  });

  it('multiplies the edges and nodes of a connection by its first argument, and its page info once', () => {
    const query = '{ productConnection(first: 30) { edges { cursor node { id name } } pageInfo { hasNextPage } totalCount } }';
    const edge = 1 + (1 + 2);
    expect(cost(query)).toBe(1 + (1 + edge) + 2 + 1 + (30 - 1) * edge);
    expect(cost('{ productConnection(first: 30) { nodes { id } edges { cursor } } }')).toBe(1 + (1 + 1) + (1 + 1) + 29 * 2);
    expect(cost('{ productConnection(first: 0) { edges { cursor } } }')).toBe(1 + 1);
    expect(cost('{ productConnection { nodes { id } } }')).toBe(1 + (1 + 1) + 4 * 1);
  });

  it('multiplies a connection through fragments, nested connections included', () => {
    const query = `{ productConnection(first: 10) { ...Page } }
      fragment Page on ProductConnection { pageInfo { hasNextPage } edges { node { id } } }`;
    expect(cost(query)).toBe(1 + 2 + (1 + 2) + 9 * 2);
    const nested = '{ productConnection(first: 10) { edges { node { related(first: 3) { edges { node { id } } } } } } }';
    const related = 1 + (1 + 2) + 2 * 2;
    const edge = 1 + related;
    expect(cost(nested)).toBe(1 + (1 + edge) + 9 * edge);
  });

  it('multiplies the whole selection of another paginated object', () => {
    expect(cost('{ productPage(first: 4) { total nodes { id } } }')).toBe(1 + 4 * (1 + (1 + 10)));
  });

  it('charges a scalar list its weight only', () => {
    expect(cost('{ shop { tags } }')).toBe(2);
  });

  it('multiplies _entities by the number of representations', () => {
    const representations = Array.from({ length: 50 }, (_, index) => ({ __typename: 'Product', id: String(index) }));
    const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Product { id name } ... on Order { id } } }';
    expect(cost(query, { r: representations })).toBe(1 + 50 * 2);
  });

  it('charges nothing for introspection', () => {
    expect(cost('{ __typename }')).toBe(0);
    expect(cost(getIntrospectionQuery())).toBe(0);
  });

  it('counts fragments and honours @skip/@include', () => {
    expect(cost('{ ...F } fragment F on Query { shop { name } }')).toBe(2);
    expect(cost('query ($no: Boolean!) { shop @include(if: $no) { name } report { id } }', { no: false })).toBe(51);
  });

  it('costs only the operation that runs', () => {
    expect(cost('query A { shop { name } } query B { report { id } }')).toBe(2);
  });

  it('uses the defaults when the schema has no @cost directive', () => {
    const plain = buildSchema('type Query { items: [Item!]! } type Item { id: ID! }');
    expect(cost('{ items { id } }', {}, { schema: plain })).toBe(1 + 10);
  });

  it.each([101, -1])('rejects first: %i with LIST_SIZE_LIMIT_EXCEEDED naming the field', (first) => {
    const error = thrown(() => cost(`{ products(first: ${first}) { id } }`));
    expect(error.extensions).toMatchObject({ code: 'LIST_SIZE_LIMIT_EXCEEDED', measured: first, limit: 100, field: 'Query.products' });
    expect(error.message).toContain(`first: ${first}`);
  });

  it('checks sizes given through variables and defaults too', () => {
    expect(thrown(() => cost('query ($n: Int) { products(first: $n) { id } }', { n: 500 })).extensions.measured).toBe(500);
    expect(thrown(() => cost('{ orders { id } }', {}, { maxListSize: 10 })).extensions).toMatchObject({ measured: 20, limit: 10 });
  });

  it('stops with COST_LIMIT_EXCEEDED on fragments spread into fragments', () => {
    const fragments = Array.from({ length: 40 }, (_, index) => `fragment F${index} on Query { ...F${index + 1} ...F${index + 1} }`);
    const query = `{ ...F0 } ${fragments.join(' ')} fragment F40 on Query { shop { name } }`;
    const error = thrown(() => cost(query));
    expect(error.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', limit: 1000 });
  });

  it('leaves bad variables to execution', () => {
    expect(cost('query ($n: Int) { products(first: $n) { id } }', { n: 'many' })).toBe(0);
  });
});
