import type { Access } from '../../auth/access.js';
import { actorIdOf, type RequestScope } from '../../auth/request-scope.js';
import { ConflictError, ValidationError } from '../../errors.js';
import type { EventBus } from '../../events/event-bus.js';
import type { InventoryAdjustment } from '../../generated/prisma/client.js';
import type { Db } from '../../infra/db.js';
import { parseInput } from '../../validation/validate.js';
import { recordAudit } from '../audit/audit.service.js';
import { maxQuantity } from './decimal.js';
import { authorizeAdjustment } from './inventory-access.js';
import { adjustInput } from './inventory-inputs.js';
import { lockedItem, publishLow } from './inventory-rows.js';
import { crossedReorderThreshold, type StockChange } from './stock.js';

/**
 * Stock changed by hand (deliveries, waste, counts), never overwritten: each change is an
 * adjustment with reason, actor and the quantity it left, in one transaction with its audit row.
 * `inventoryLow` is published after commit when the change crossed the reorder threshold.
 */
export function createInventoryAdjustmentsService(deps: { prisma: Db; events: EventBus }) {
  const { prisma, events } = deps;

  return {
    /**
     * Changes stock by hand. The item's row is locked first, so concurrent adjustments (and
     * orders) apply one after the other and each checks the stock it really changes: stock never
     * goes below zero unless the restaurant allows it.
     */
    async adjust(rawInput: unknown, actor: { scope: RequestScope; access: Access }): Promise<InventoryAdjustment> {
      const input = parseInput(adjustInput, rawInput, 'input');
      const owner = await prisma.inventoryItem.findUnique({ where: { id: input.inventoryItemId }, select: { restaurantId: true } });
      await authorizeAdjustment(actor.access, input, owner?.restaurantId ?? null);

      const { adjustment, change } = await prisma.$transaction(async (tx) => {
        const item = await lockedItem(tx, input.inventoryItemId);
        const delta = input.countedQuantity != null ? input.countedQuantity.minus(item.quantity) : input.delta;
        if (delta == null) throw new ValidationError('input.delta', 'Invalid input.delta: is required.');
        const after = item.quantity.plus(delta);
        if (after.isNegative() && !item.restaurant.allowNegativeStock) {
          throw new ConflictError(
            `Not enough "${item.name}" in stock: ${item.quantity.toFixed()} ${item.unit} left, ${delta.negated().toFixed()} to take out.`,
            { inventoryItemId: item.id, available: item.quantity.toFixed(), needed: delta.negated().toFixed() },
          );
        }
        if (after.abs().greaterThan(maxQuantity)) {
          throw new ValidationError('input.delta', `Invalid input.delta: would take the quantity past ${maxQuantity.toFixed()}.`);
        }
        await tx.inventoryItem.update({ where: { id: item.id }, data: { quantity: after } });
        const adjustment = await tx.inventoryAdjustment.create({
          data: {
            restaurantId: item.restaurantId,
            inventoryItemId: item.id,
            delta,
            quantityAfter: after,
            reason: input.reason,
            note: input.note || null,
            actorId: actorIdOf(actor.scope),
          },
        });
        await recordAudit(tx, actor.scope, {
          action: 'inventoryItem.adjust',
          entityType: 'InventoryItem',
          entityId: item.id,
          restaurantId: item.restaurantId,
          before: { quantity: item.quantity.toFixed() },
          after: { quantity: after.toFixed(), delta: delta.toFixed(), reason: input.reason, adjustmentId: adjustment.id },
        });
        const change: StockChange = { inventoryItemId: item.id, before: item.quantity, after, reorderThreshold: item.reorderThreshold };
        return { adjustment, change };
      });
      if (crossedReorderThreshold(change)) await publishLow(events, { id: change.inventoryItemId, restaurantId: adjustment.restaurantId });
      return adjustment;
    },
  };
}
