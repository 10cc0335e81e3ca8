import type { RequestScope } from '../../auth/request-scope.js';
import { ConflictError } from '../../errors.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from '../../infra/db.js';

type Decimal = Prisma.Decimal;

export interface StockMovement {
  inventoryItemId: string;
  /** Positive: stock comes back; negative: stock goes out. */
  delta: Decimal;
}

export interface StockChange {
  inventoryItemId: string;
  before: Decimal;
  after: Decimal;
  reorderThreshold: Decimal;
}

/** True once, when a change takes an item from above its reorder threshold to at or below it. */
export function crossedReorderThreshold(change: StockChange): boolean {
  return change.before.greaterThan(change.reorderThreshold) && change.after.lessThanOrEqualTo(change.reorderThreshold);
}

/**
 * Applies stock movements inside the caller's transaction, each recorded as an adjustment.
 * Decrements are conditional updates (`quantity >= needed` in the same statement), so concurrent
 * orders can never take stock below zero unless the restaurant allows it. Items are updated in id
 * order, so two transactions never wait on each other's rows in opposite orders.
 */
export async function applyStockMovements(
  tx: Tx,
  scope: RequestScope,
  options: {
    restaurantId: string;
    movements: readonly StockMovement[];
    reason: 'ORDER' | 'ORDER_CANCELLED';
    orderId: string;
    allowNegative: boolean;
  },
): Promise<StockChange[]> {
  const changes: StockChange[] = [];
  const sorted = [...options.movements].sort((a, b) => a.inventoryItemId.localeCompare(b.inventoryItemId));
  for (const { inventoryItemId, delta } of sorted) {
    if (delta.isZero()) continue;
    const taking = delta.isNegative();
    const updated = await tx.inventoryItem.updateMany({
      where: {
        id: inventoryItemId,
        restaurantId: options.restaurantId,
        ...(taking && !options.allowNegative ? { quantity: { gte: delta.negated() } } : {}),
      },
      data: { quantity: { increment: delta } },
    });
    const item = await tx.inventoryItem.findUniqueOrThrow({ where: { id: inventoryItemId } });
    if (updated.count === 0) {
      throw new ConflictError(
        `Not enough "${item.name}" in stock: ${item.quantity.toString()} ${item.unit} left, ${delta.negated().toString()} needed.`,
        {
          inventoryItemId,
          available: item.quantity.toString(),
          needed: delta.negated().toString(),
        },
      );
    }
    await tx.inventoryAdjustment.create({
      data: {
        restaurantId: options.restaurantId,
        inventoryItemId,
        delta,
        quantityAfter: item.quantity,
        reason: options.reason,
        orderId: options.orderId,
        actorId: scope.viewer.kind === 'user' ? scope.viewer.userId : null,
      },
    });
    changes.push({ inventoryItemId, before: item.quantity.minus(delta), after: item.quantity, reorderThreshold: item.reorderThreshold });
  }
  return changes;
}

/** Stock the recipes of `lines` use: recipe quantity × portions, summed per inventory item. */
export function recipeUsage(
  lines: ReadonlyArray<{ quantity: number; ingredients: ReadonlyArray<{ inventoryItemId: string; quantity: Decimal }> }>,
): StockMovement[] {
  const totals = new Map<string, Decimal>();
  for (const line of lines) {
    for (const ingredient of line.ingredients) {
      const used = ingredient.quantity.times(line.quantity);
      totals.set(ingredient.inventoryItemId, (totals.get(ingredient.inventoryItemId) ?? new Prisma.Decimal(0)).plus(used));
    }
  }
  return [...totals].map(([inventoryItemId, used]) => ({ inventoryItemId, delta: used.negated() }));
}
