import { NotFoundError } from '../../errors.js';
import type { EventBus } from '../../events/event-bus.js';
import type { InventoryItem } from '../../generated/prisma/client.js';
import type { Tx } from '../../infra/db.js';

/**
 * Locks the item's row for the rest of the transaction, so what we read is what we change:
 * concurrent adjustments (and orders, whose UPDATE waits for the same lock) apply one at a time.
 * NO KEY UPDATE, so rows that merely reference the item (recipes, adjustments) are not held up.
 */
export async function lockedItem(tx: Tx, inventoryItemId: string) {
  await tx.$queryRaw`SELECT 1 FROM "InventoryItem" WHERE id = ${inventoryItemId} FOR NO KEY UPDATE`;
  const item = await tx.inventoryItem.findUnique({ where: { id: inventoryItemId }, include: { restaurant: true } });
  if (!item) throw new NotFoundError('InventoryItem', inventoryItemId);
  return item;
}

/** Publishes `inventoryLow` for the item; call after commit, and only when it crossed its threshold. */
export const publishLow = (events: EventBus, item: Pick<InventoryItem, 'id' | 'restaurantId'>) =>
  events.publish({ type: 'inventoryLow', restaurantId: item.restaurantId, inventoryItemId: item.id });
