import { AppError, ErrorCode } from '../../errors.js';
import type { Order, OrderItem } from '../../generated/prisma/client.js';
import { type OrderModel, orderWithLines } from './order-model.js';

/** What a createOrder request asks for, after validation (the stored order holds the same values). */
export interface RequestedOrder {
  idempotencyKey: string;
  items: Array<{ menuItemId: string; quantity: number; note?: string | null | undefined }>;
  customerName?: string | null | undefined;
  customerPhone?: string | null | undefined;
  notes?: string | null | undefined;
}

export class IdempotencyKeyReusedError extends AppError {
  constructor(key: string) {
    super(
      ErrorCode.IDEMPOTENCY_KEY_REUSED,
      `Idempotency key "${key.slice(0, 128)}" was already used for a different order: use a new key for a new order.`,
      { field: 'input.idempotencyKey' },
    );
  }
}

/**
 * A retry with an idempotency key answers with the order it created, but only if it asks for the
 * same order: a different order under a used key is refused (as Stripe and Square do), never
 * answered with the first order as if it were the second.
 */
export function replayedOrder(stored: Order & { items: OrderItem[] }, requested: RequestedOrder): OrderModel {
  const lines = (items: ReadonlyArray<{ menuItemId: string | null; quantity: number; note?: string | null | undefined }>) =>
    JSON.stringify(items.map((item) => [item.menuItemId, item.quantity, item.note ?? null]));
  // A line whose menu item was deleted since keeps its row but loses the link (SetNull): it matches the id asked for.
  const ordered = [...stored.items].sort((a, b) => a.position - b.position);
  const storedLines = ordered.map((item, index) => ({
    ...item,
    menuItemId: item.menuItemId ?? requested.items[index]?.menuItemId ?? null,
  }));
  const same =
    lines(storedLines) === lines(requested.items) &&
    stored.customerName === (requested.customerName ?? null) &&
    stored.customerPhone === (requested.customerPhone ?? null) &&
    stored.notes === (requested.notes ?? null);
  if (!same) throw new IdempotencyKeyReusedError(requested.idempotencyKey);
  // The answer carries the lines as stored, so they are not read again.
  return orderWithLines(stored, ordered);
}
