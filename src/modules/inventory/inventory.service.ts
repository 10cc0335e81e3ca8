import { actorIdOf, type RequestScope } from '../../auth/request-scope.js';
import { ConflictError, ValidationError } from '../../errors.js';
import type { EventBus } from '../../events/event-bus.js';
import type { InventoryItem } from '../../generated/prisma/client.js';
import type { Db } from '../../infra/db.js';
import { isUniqueViolation, mapPrismaError } from '../../infra/prisma-errors.js';
import { id, parseInput } from '../../validation/validate.js';
import { recordAudit } from '../audit/audit.service.js';
import { createInventoryAdjustmentsService } from './inventory-adjustments.service.js';
import { createItemInput, isLow, itemSnapshot, pageSize, updateItemInput } from './inventory-inputs.js';
import { lockedItem, publishLow } from './inventory-rows.js';

/** A name already used in the restaurant: CONFLICT naming the field, anything else as Prisma maps it. */
function mapWriteError(error: unknown, name: string | null | undefined): unknown {
  if (isUniqueViolation(error)) return new ConflictError(`An inventory item named "${name}" already exists.`, { field: 'input.name' });
  return mapPrismaError(error, 'InventoryItem');
}

/**
 * Inventory: items and their stock. Quantities change only through adjustments (by hand through
 * `adjust`, in orders through stock.ts), each in one transaction with its audit row.
 * `inventoryLow` is published after commit, when an item goes from above its reorder threshold to
 * at or below it: once per crossing, whatever caused it (an adjustment, an order, a raised threshold).
 */
export function createInventoryService(deps: { prisma: Db; events: EventBus }) {
  const { prisma, events } = deps;

  return {
    ...createInventoryAdjustmentsService(deps),

    /** A page of the restaurant's items by name; `after` is the id of the previous page's last item. */
    async list(restaurantId: string, args: { first: number; after?: string | null }): Promise<InventoryItem[]> {
      const first = parseInput(pageSize, args.first, 'first');
      const after = args.after == null ? null : parseInput(id, args.after, 'after');
      let nameAfter: string | undefined;
      if (after) {
        const cursor = await prisma.inventoryItem.findFirst({ where: { id: after, restaurantId }, select: { name: true } });
        if (!cursor) throw new ValidationError('after', `"${after}" is not an inventory item of this restaurant.`);
        nameAfter = cursor.name;
      }
      return prisma.inventoryItem.findMany({
        where: { restaurantId, ...(nameAfter === undefined ? {} : { name: { gt: nameAfter } }) },
        orderBy: { name: 'asc' },
        take: first,
      });
    },

    /** Items at or below their threshold, served by the partial index "InventoryItem_low_stock_idx". */
    lowStock(restaurantId: string): Promise<InventoryItem[]> {
      return prisma.inventoryItem.findMany({
        where: { restaurantId, quantity: { lte: prisma.inventoryItem.fields.reorderThreshold } },
        orderBy: { name: 'asc' },
      });
    },

    /** A new item; opening stock above zero is recorded as a RECEIVED adjustment, like any other. */
    async create(rawInput: unknown, scope: RequestScope): Promise<InventoryItem> {
      const input = parseInput(createItemInput, rawInput, 'input');
      try {
        return await prisma.$transaction(async (tx) => {
          const item = await tx.inventoryItem.create({
            data: {
              restaurantId: input.restaurantId,
              name: input.name,
              unit: input.unit,
              quantity: input.quantity ?? 0,
              reorderThreshold: input.reorderThreshold ?? 0,
            },
          });
          if (item.quantity.greaterThan(0)) {
            await tx.inventoryAdjustment.create({
              data: {
                restaurantId: item.restaurantId,
                inventoryItemId: item.id,
                delta: item.quantity,
                quantityAfter: item.quantity,
                reason: 'RECEIVED',
                note: 'Opening stock',
                actorId: actorIdOf(scope),
              },
            });
          }
          await recordAudit(tx, scope, {
            action: 'inventoryItem.create',
            entityType: 'InventoryItem',
            entityId: item.id,
            restaurantId: item.restaurantId,
            after: itemSnapshot(item),
          });
          return item;
        });
      } catch (error) {
        throw mapWriteError(error, input.name);
      }
    },

    /** Name, unit and threshold; a threshold raised to the quantity or above is a crossing too. */
    async update(inventoryItemId: string, rawInput: unknown, scope: RequestScope): Promise<InventoryItem> {
      const input = parseInput(updateItemInput, rawInput, 'input');
      const { before, item } = await prisma
        .$transaction(async (tx) => {
          const before = await lockedItem(tx, inventoryItemId);
          const item = await tx.inventoryItem.update({ where: { id: inventoryItemId }, data: input });
          await recordAudit(tx, scope, {
            action: 'inventoryItem.update',
            entityType: 'InventoryItem',
            entityId: item.id,
            restaurantId: item.restaurantId,
            before: itemSnapshot(before),
            after: itemSnapshot(item),
          });
          return { before, item };
        })
        .catch((error: unknown) => {
          throw mapWriteError(error, input.name);
        });
      if (!isLow(before) && isLow(item)) await publishLow(events, item);
      return item;
    },
  };
}

export type InventoryService = ReturnType<typeof createInventoryService>;
