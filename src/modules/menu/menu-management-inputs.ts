import { z } from 'zod';
import { id, text } from '../../validation/validate.js';
import { positiveDecimal } from '../inventory/index.js';

const name = text({ min: 1, max: 100 });
/** Empty (after sanitizing) means none. */
const description = text({ max: 500 }).transform((value) => value || null);
const sortOrder = z.number().int().min(0, 'must not be negative').max(100_000, 'must be at most 100000');
const priceAmount = z.number().int().min(0, 'must not be negative').max(10_000_000, 'must be at most 10000000');
const somethingToChange = (input: Record<string, unknown>) => Object.values(input).some((value) => value !== undefined);

export const createCategoryInput = z.object({
  restaurantId: id,
  name,
  description: description.nullish(),
  sortOrder: sortOrder.nullish(),
});

/** Omitted fields are kept; `description: null` removes the description. */
export const updateCategoryInput = z
  .object({ name: name.optional(), description: description.nullable().optional(), sortOrder: sortOrder.optional() })
  .refine(somethingToChange, 'must change at least one field');

export const createItemInput = z.object({
  restaurantId: id,
  categoryId: id,
  name,
  description: description.nullish(),
  priceAmount,
  available: z.boolean().nullish(),
  sortOrder: sortOrder.nullish(),
});

export const updateItemInput = z
  .object({
    name: name.optional(),
    description: description.nullable().optional(),
    priceAmount: priceAmount.optional(),
    categoryId: id.optional(),
    sortOrder: sortOrder.optional(),
  })
  .refine(somethingToChange, 'must change at least one field');

/** Ids in a new order: each at most once (a repeat is reported at its own index). */
export const orderedIds = z
  .array(id)
  .min(1, 'must name at least one')
  .max(500, 'must name at most 500')
  .superRefine((ids, context) => {
    for (const [index, value] of ids.entries()) {
      if (ids.indexOf(value) !== index) context.addIssue({ code: 'custom', path: [index], message: `repeats "${value}"` });
    }
  });

export const recipeInput = z
  .array(z.object({ inventoryItemId: id, quantity: positiveDecimal }))
  .max(50, 'must have at most 50 ingredients')
  .superRefine((lines, context) => {
    const ids = lines.map((line) => line.inventoryItemId);
    for (const [index, value] of ids.entries()) {
      if (ids.indexOf(value) !== index) {
        context.addIssue({ code: 'custom', path: [index, 'inventoryItemId'], message: `repeats "${value}": give each ingredient once` });
      }
    }
  });

/** The fields of `after` that differ from `before`, as { before, after } for the audit log. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T): { before: Partial<T>; after: Partial<T> } {
  const keys = (Object.keys(after) as Array<keyof T>).filter((key) => before[key] !== after[key]);
  return {
    before: Object.fromEntries(keys.map((key) => [key, before[key]])) as Partial<T>,
    after: Object.fromEntries(keys.map((key) => [key, after[key]])) as Partial<T>,
  };
}
