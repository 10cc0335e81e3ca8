import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { Prisma } from '../../generated/prisma/client.js';

const lexical = /^[+-]?\d+(\.\d+)?$/;

/** "+1.50" → "1.5": one spelling per value, exactly as decimal.js reads it (never through a float). */
function normalize(text: string): string {
  if (!lexical.test(text)) throw new GraphQLError(`Decimal cannot represent "${text.slice(0, 64)}": send a decimal string like "12.5".`);
  return new Prisma.Decimal(text).toFixed();
}

function fromInput(value: unknown): string {
  if (typeof value === 'string') return normalize(value.trim());
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new GraphQLError(`Decimal cannot represent ${JSON.stringify(value)?.slice(0, 64)}: send a decimal string like "12.5".`);
}

/**
 * `Decimal`: exact decimals as strings. Input becomes a normalized string (services turn it into
 * Prisma.Decimal and check their bounds with field paths); output accepts Prisma.Decimal, strings
 * and integers, and never goes through a JavaScript float.
 */
export const decimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  serialize(value) {
    if (Prisma.Decimal.isDecimal(value)) return (value as Prisma.Decimal).toFixed();
    if (typeof value === 'string' || typeof value === 'number') return fromInput(value);
    throw new GraphQLError(`Decimal cannot represent ${typeof value}.`);
  },
  parseValue: fromInput,
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING) return normalize(ast.value);
    if (ast.kind === Kind.INT) return normalize(ast.value);
    throw new GraphQLError('Decimal literals are strings, e.g. "12.5".', { nodes: ast });
  },
});
