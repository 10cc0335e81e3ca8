import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { sanitizeText } from './sanitize.js';

/**
 * Parses a resolver's input with a zod schema. The first problem becomes BAD_USER_INPUT naming
 * the field path (e.g. "input.items.0.quantity"); every problem is listed in `extensions.issues`.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown, path: string): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ field: [path, ...issue.path].join('.'), message: issue.message }));
  const [first] = issues;
  const error = new ValidationError(first?.field ?? path, `Invalid ${first?.field ?? path}: ${first?.message ?? 'invalid value'}.`);
  error.extensions.issues = issues;
  throw error;
}

/** Free text: trimmed, length-checked, stored without markup. */
export const text = (options: { min?: number; max: number }) =>
  z
    .string()
    .max(options.max * 4, `must be at most ${options.max} characters`)
    .transform(sanitizeText)
    .pipe(
      z
        .string()
        .min(options.min ?? 0, options.min ? `must be at least ${options.min} characters of text` : undefined)
        .max(options.max, `must be at most ${options.max} characters`),
    );

export const email = z.string().trim().toLowerCase().pipe(z.email('must be an email address').max(254));

/** Identifiers are opaque, but bounded: a megabyte-long "id" is rejected before any query. */
export const id = z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters');
