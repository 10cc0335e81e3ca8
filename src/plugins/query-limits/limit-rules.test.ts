import { buildSchema, parse, specifiedRules, type ValidationRule, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createAliasLimitRule } from './alias-limit.rule.js';
import { createDirectiveLimitRule } from './directive-limit.rule.js';
import { createRootFieldLimitRule } from './root-field-limit.rule.js';

const schema = buildSchema(/* GraphQL */ `
  type Query { apiVersion: String restaurant(slug: String): Restaurant }
  type Restaurant { id: ID! name: String! }
`);

function check(rule: ValidationRule, query: string) {
  return validate(schema, parse(query), [...specifiedRules, rule]).map(
    (error): Record<string, unknown> => ({ message: error.message, ...error.extensions }),
  );
}

const aliased = (count: number, field = 'apiVersion') => Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ');

describe('alias limit rule', () => {
  it('counts every alias in the document, fragments included', () => {
    const query = `{ ${aliased(2)} restaurant { ...R } } fragment R on Restaurant { ${aliased(2, 'id')} }`;
    expect(check(createAliasLimitRule(4), query)).toEqual([]);
    const errors = check(createAliasLimitRule(3), query);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      message: 'Query has 4 aliases, more than the maximum of 3.',
      code: 'ALIAS_LIMIT_EXCEEDED',
      measured: 4,
      limit: 3,
    });
  });
});

describe('root field limit rule', () => {
  it('counts response keys after inlining fragments', () => {
    const query = '{ apiVersion apiVersion ... on Query { restaurant { id } } ...F } fragment F on Query { a: apiVersion apiVersion }';
    expect(check(createRootFieldLimitRule(3), query)).toEqual([]);
    expect(check(createRootFieldLimitRule(2), query)[0]).toMatchObject({ code: 'ROOT_FIELD_LIMIT_EXCEEDED', measured: 3, limit: 2 });
  });

  it('checks each operation', () => {
    const errors = check(createRootFieldLimitRule(2), `query A { ${aliased(3)} } query B { apiVersion } query C { ${aliased(4)} }`);
    expect(errors.map((error) => error.measured)).toEqual([3, 4]);
    expect(errors[0]?.message).toBe('Operation has 3 root fields, more than the maximum of 2.');
  });

  it('does not loop on a fragment cycle', () => {
    const errors = check(createRootFieldLimitRule(2), '{ ...A } fragment A on Query { apiVersion ...B } fragment B on Query { ...A }');
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining('Cannot spread fragment "A" within itself')]);
  });
});

describe('directive limit rule', () => {
  it('counts every directive in the document', () => {
    const query = 'query ($yes: Boolean!) { apiVersion @include(if: $yes) restaurant @skip(if: false) { id @include(if: true) } }';
    expect(check(createDirectiveLimitRule(3), query)).toEqual([]);
    expect(check(createDirectiveLimitRule(2), query)[0]).toMatchObject({
      code: 'DIRECTIVE_LIMIT_EXCEEDED',
      measured: 3,
      limit: 2,
      message: 'Query has 3 directives, more than the maximum of 2.',
    });
  });
});
