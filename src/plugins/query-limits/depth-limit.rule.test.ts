import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { describe, expect, it } from 'vitest';
import { createDepthLimitRule } from './depth-limit.rule.js';

const schema = buildSchema(/* GraphQL */ `
  type Query { restaurant: Restaurant apiVersion: String }
  type Restaurant { id: ID! menu: [Category!]! }
  type Category { id: ID! items: [Item!]! }
  type Item { id: ID! category: Category! }
`);

/** `restaurant { menu { items { category { items … { id } } } } }`, `levels` object fields deep. */
function nested(levels: number): string {
  const names = ['restaurant', 'menu', ...Array.from({ length: levels - 2 }, (_, index) => (index % 2 === 0 ? 'items' : 'category'))];
  return `${names.join(' { ')} { id ${'} '.repeat(levels)}`;
}

function check(query: string, maxDepth = 10) {
  return validate(schema, parse(query), [...specifiedRules, createDepthLimitRule(maxDepth)]);
}

const codes = (errors: ReturnType<typeof check>) => errors.map((error) => error.extensions.code);

describe('depth limit rule', () => {
  it('accepts a query at the limit', () => {
    expect(check(`{ ${nested(10)} }`)).toEqual([]);
  });

  it('rejects a deeper query with the measured depth', () => {
    const errors = check(`{ ${nested(50)} }`);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe('Query depth 50 exceeds the maximum of 10.');
    expect(errors[0]?.extensions).toMatchObject({ code: 'DEPTH_LIMIT_EXCEEDED', measured: 50, limit: 10 });
  });

  it('counts the fields of fragments', () => {
    const query = '{ restaurant { ...R } } fragment R on Restaurant { menu { ...C } } fragment C on Category { items { category { id } } }';
    expect(check(query, 4)).toEqual([]);
    expect(check(query, 3)[0]?.extensions).toMatchObject({ measured: 4, limit: 3 });
  });

  it('reports each operation that is too deep', () => {
    const errors = check(`query Deep { ${nested(12)} } query Shallow { apiVersion } query Deeper { ${nested(14)} }`);
    expect(errors.map((error) => error.extensions.measured)).toEqual([12, 14]);
  });

  it.each([
    ['a fragment cycle', '{ restaurant { ...A } } fragment A on Restaurant { ...B } fragment B on Restaurant { ...A }'],
    [
      'a deep self-spread',
      '{ restaurant { ...A } } fragment A on Restaurant { menu { items { category { items { category { id } } } } } ...A }',
    ],
    ['an unknown fragment', '{ restaurant { ...Missing } }'],
    ['two fragments with one name', '{ restaurant { ...A } } fragment A on Restaurant { id } fragment A on Restaurant { menu { id } }'],
  ])('leaves %s to graphql, without throwing', (_case, query) => {
    const errors = check(query);
    expect(errors.length).toBeGreaterThan(0);
    expect(codes(errors)).not.toContain('DEPTH_LIMIT_EXCEEDED');
  });

  it('measures fragments spread into fragments in linear time', () => {
    const fragments = Array.from({ length: 60 }, (_, index) => `fragment F${index} on Category { ...F${index + 1} ...F${index + 1} }`);
    const query = `{ restaurant { menu { ...F0 } } } ${fragments.join(' ')} fragment F60 on Category { items { category { id } } }`;
    const started = performance.now();
    expect(check(query, 3)[0]?.extensions).toMatchObject({ code: 'DEPTH_LIMIT_EXCEEDED', measured: 4 });
    expect(check(query, 4)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('does not count introspection, so tools can fetch the schema', () => {
    expect(check(getIntrospectionQuery())).toEqual([]);
  });

  it('agrees with graphql-depth-limit on what is too deep', () => {
    const queries = [
      `{ ${nested(6)} }`,
      '{ restaurant { ... on Restaurant { menu { items { id } } } } }',
      '{ restaurant { ...R } } fragment R on Restaurant { menu { items { ...I } } } fragment I on Item { category { id } }',
    ];
    for (const query of queries) {
      for (const maxDepth of [1, 2, 3, 4, 5, 6]) {
        const ours = check(query, maxDepth).length > 0;
        const theirs = validate(schema, parse(query), [depthLimit(maxDepth)]).length > 0;
        expect({ query, maxDepth, rejected: ours }).toEqual({ query, maxDepth, rejected: theirs });
      }
    }
  });
});
