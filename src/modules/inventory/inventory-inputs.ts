import { z } from 'zod';
import type { InventoryItem } from '../../generated/prisma/client.js';
import { id, text } from '../../validation/validate.js';
import { decimal, nonNegativeDecimal } from './decimal.js';

export const pageSize = z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100');

const name = text({ min: 1, max: 100 });
const unit = text({ min: 1, max: 20 });

export const createItemInput = z.object({
  restaurantId: id,
  name,
  unit,
  quantity: nonNegativeDecimal.nullish(),
  reorderThreshold: nonNegativeDecimal.nullish(),
});

/** Omitted fields are kept. No quantity here, on purpose: stock changes only through adjustments. */
export const updateItemInput = z
  .object({ name: name.optional(), unit: unit.optional(), reorderThreshold: nonNegativeDecimal.optional() })
  .refine((input) => Object.values(input).some((value) => value !== undefined), 'must change at least one field');

export const adjustInput = z
  .object({
    inventoryItemId: id,
    reason: z.enum(['RECEIVED', 'WASTE', 'COUNT_CORRECTION']),
    delta: decimal.nullish(),
    countedQuantity: nonNegativeDecimal.nullish(),
    note: text({ max: 500 }).nullish(),
  })
  .superRefine((input, context) => {
    const problem = (field: 'delta' | 'countedQuantity', message: string) => context.addIssue({ code: 'custom', path: [field], message });
    if (input.countedQuantity != null) {
      if (input.reason !== 'COUNT_CORRECTION') problem('countedQuantity', 'is only for COUNT_CORRECTION');
      else if (input.delta != null) problem('delta', 'must be left out when countedQuantity is given');
      return;
    }
    const { delta } = input;
    if (delta == null)
      problem('delta', input.reason === 'COUNT_CORRECTION' ? 'is required unless countedQuantity is given' : 'is required');
    else if (input.reason === 'RECEIVED' && !delta.greaterThan(0)) problem('delta', 'must be positive for RECEIVED');
    else if (input.reason === 'WASTE' && !delta.isNegative()) problem('delta', 'must be negative for WASTE');
    else if (input.reason === 'COUNT_CORRECTION' && delta.isZero())
      problem('delta', 'must not be 0 (give countedQuantity to record a count that matched)');
  });

export type AdjustInput = z.infer<typeof adjustInput>;

/** What the audit log keeps of an item: decimals as exact strings. */
export const itemSnapshot = (item: InventoryItem) => ({
  name: item.name,
  unit: item.unit,
  quantity: item.quantity.toFixed(),
  reorderThreshold: item.reorderThreshold.toFixed(),
});

/** Whether the item is at or below its reorder threshold. */
export const isLow = (item: Pick<InventoryItem, 'quantity' | 'reorderThreshold'>) => item.quantity.lessThanOrEqualTo(item.reorderThreshold);
