import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  isScalarType,
  isUnionType,
  print,
} from 'graphql';

// Federation's own machinery, not part of Servio's API.
const hidden = /^(_|link__|federation__)|^(_Any|_Entity|_Service|FieldSet|Import|Purpose|Policy|Scope)$/;
const accessDirectives = new Set(['auth', 'scope', 'rateLimit', 'cost']);

/** The API reference in Markdown, generated from the schema's SDL and its descriptions. */
export function renderApiReference(schema: GraphQLSchema): string {
  const sections = [
    '# Servio API reference',
    '',
    'Generated from `schema/*.graphql` by `npm run docs`; do not edit by hand. Every operation below is',
    'sent to `POST /graphql` (subscriptions: graphql-ws on the same path). Access rules come from the',
    '`@auth`, `@scope` and `@rateLimit` directives (README, "Security").',
    '',
  ];
  for (const [title, type, keyword] of [
    ['Queries', schema.getQueryType(), 'query'],
    ['Mutations', schema.getMutationType(), 'mutation'],
    ['Subscriptions', schema.getSubscriptionType(), 'subscription'],
  ] as const) {
    if (!type) continue;
    sections.push(`## ${title}`, '');
    for (const field of Object.values(type.getFields())) {
      if (hidden.test(field.name)) continue;
      sections.push(...renderOperation(keyword, field));
    }
  }
  sections.push('## Types', '');
  const types = Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith('__') && !hidden.test(type.name))
    .filter((type) => ![schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].includes(type as never))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const type of types) sections.push(...renderType(type));
  return `${sections.join('\n').trimEnd()}\n`;
}

function renderOperation(keyword: string, field: GraphQLField<unknown, unknown>): string[] {
  const args = field.args.map((arg) => `${arg.name}: ${arg.type}`).join(', ');
  const lines = [`### \`${field.name}${args ? `(${args})` : ''}: ${field.type}\``, '', field.description ?? '', ''];
  const rules = directivesOf(field);
  if (rules) lines.push(`Access: ${rules}`, '');
  if (field.args.length) lines.push(...argumentTable(field.args), '');
  lines.push('```graphql', exampleOperation(keyword, field), '```', '');
  return lines;
}

function renderType(type: GraphQLNamedType): string[] {
  const kind = isObjectType(type)
    ? 'object'
    : isInputObjectType(type)
      ? 'input'
      : isEnumType(type)
        ? 'enum'
        : isScalarType(type)
          ? 'scalar'
          : isUnionType(type)
            ? 'union'
            : 'interface';
  const lines = [`### ${type.name} (${kind})`, '', type.description ?? '', ''];
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    lines.push('| field | type | description |', '| --- | --- | --- |');
    for (const field of Object.values(type.getFields())) {
      const rules = 'args' in field ? directivesOf(field as GraphQLField<unknown, unknown>) : '';
      lines.push(`| \`${field.name}\` | \`${field.type}\` | ${oneLine(field.description)}${rules ? ` (${rules})` : ''} |`);
    }
    lines.push('');
  }
  if (isEnumType(type)) {
    lines.push('| value | description |', '| --- | --- |');
    for (const value of type.getValues()) lines.push(`| \`${value.name}\` | ${oneLine(value.description)} |`);
    lines.push('');
  }
  return lines;
}

function argumentTable(args: readonly GraphQLArgument[]): string[] {
  return [
    '| argument | type | description |',
    '| --- | --- | --- |',
    ...args.map(
      (arg) =>
        `| \`${arg.name}\` | \`${arg.type}\`${arg.defaultValue !== undefined ? ` = ${JSON.stringify(arg.defaultValue)}` : ''} | ${oneLine(arg.description)} |`,
    ),
  ];
}

function directivesOf(field: GraphQLField<unknown, unknown>): string {
  return (field.astNode?.directives ?? [])
    .filter((directive) => accessDirectives.has(directive.name.value))
    .map((directive) => `\`${print(directive)}\``)
    .join(', ');
}

/** An example operation: required arguments as variables, and the scalar fields of the result. */
function exampleOperation(keyword: string, field: GraphQLField<unknown, unknown>): string {
  const required = field.args.filter((arg) => String(arg.type).endsWith('!') && arg.defaultValue === undefined);
  const name = field.name.charAt(0).toUpperCase() + field.name.slice(1);
  const variables = required.map((arg) => `$${arg.name}: ${arg.type}`).join(', ');
  const passed = required.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = selectionOf(getNamedType(field.type), 2, '    ');
  return `${keyword} ${name}${variables ? `(${variables})` : ''} {\n  ${field.name}${passed ? `(${passed})` : ''}${selection}\n}`;
}

function selectionOf(type: GraphQLNamedType, depth: number, indent: string): string {
  if (isLeafType(type) || !(isObjectType(type) || isInterfaceType(type))) return '';
  const lines: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((arg) => String(arg.type).endsWith('!') && arg.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) lines.push(`${indent}${field.name}`);
    else if (depth > 1) {
      const nested = selectionOf(named, depth - 1, `${indent}  `);
      if (nested) lines.push(`${indent}${field.name}${nested}`);
    }
  }
  return lines.length ? ` {\n${lines.join('\n')}\n${indent.slice(2)}}` : '';
}

function oneLine(text: string | null | undefined): string {
  return (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}
