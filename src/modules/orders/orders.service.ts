import { z } from 'zod';
import { actorIdOf, type RequestScope } from '../../auth/request-scope.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { EventBus } from '../../events/event-bus.js';
import type { Order, OrderStatus } from '../../generated/prisma/client.js';
import { decodeCursor, toPage } from '../../infra/cursor.js';
import type { Db } from '../../infra/db.js';
import { isForeignKeyViolation } from '../../infra/prisma-errors.js';
import { id, parseInput, text } from '../../validation/validate.js';
import { recordAudit } from '../audit/audit.service.js';
import { applyStockMovements, crossedReorderThreshold, recipeUsage, type StockChange } from '../inventory/index.js';
import { replayedOrder } from './idempotency.js';
import { readOrderMenu } from './order-menu.js';
import type { OrderModel } from './order-model.js';
import { countOrders, readOrderPage } from './order-page.js';
import { placeOrder } from './order-placement.js';
import { assertTransition } from './order-status.js';
import { computeOrderTotals } from './order-totals.js';

const createOrderInput = z.object({
  restaurantId: id,
  idempotencyKey: z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
  items: z
    .array(
      z.object({
        menuItemId: id,
        quantity: z.number().int().min(1, 'must be at least 1').max(999, 'must be at most 999'),
        note: text({ max: 200 }).nullish(),
      }),
    )
    .min(1, 'must have at least one item')
    .max(100, 'must have at most 100 items'),
  customerName: text({ max: 100 }).nullish(),
  customerPhone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ().-]{5,20}$/, 'must be a phone number like "+1 555 0100"')
    .nullish(),
  notes: text({ max: 500 }).nullish(),
});

const listOrdersInput = z.object({
  first: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'),
  after: z.string().max(200).nullish(),
  status: z.string().nullish(),
  from: z.date().nullish(),
  to: z.date().nullish(),
});

export interface OrderFilters {
  status?: OrderStatus | null;
  from?: Date | null;
  to?: Date | null;
  first: number;
  after?: string | null;
  /** Count the matching orders (a second statement) only when the caller selected `totalCount`. */
  withTotalCount?: boolean;
  /** Read each order's lines in the page's own statement, when the caller selected them. */
  withLines?: boolean;
}

const auditSnapshot = (order: Order) => ({ status: order.status, totalAmount: order.totalAmount, currency: order.currency });

/**
 * Orders: creation (idempotent, priced by the server, stock taken in the same transaction), the
 * status life cycle, and the newest-first list. Events are published after commit, never for a
 * change that rolled back.
 */
export function createOrdersService(deps: { prisma: Db; events: EventBus }) {
  const { prisma, events } = deps;

  async function publishAfterCommit(restaurantId: string, orderId: string, stock: StockChange[]) {
    await events.publish({ type: 'orderUpdated', restaurantId, orderId });
    for (const change of stock.filter(crossedReorderThreshold)) {
      await events.publish({ type: 'inventoryLow', restaurantId, inventoryItemId: change.inventoryItemId });
    }
  }

  /** The order an earlier request with this idempotency key created, with its lines. */
  function earlierOrder({ restaurantId, idempotencyKey }: { restaurantId: string; idempotencyKey: string }) {
    return prisma.order.findUnique({ where: { restaurantId_idempotencyKey: { restaurantId, idempotencyKey } }, include: { items: true } });
  }

  return {
    /**
     * Two statements, whatever the number of lines: the menu read, then the placement (stock checked and
     * taken, the order with its lines and audit row, its idempotency key checked by the INSERT itself).
     * Nothing is read back; a retry of a committed key reads the first order to compare.
     */
    async create(rawInput: unknown, scope: RequestScope): Promise<OrderModel> {
      const input = parseInput(createOrderInput, rawInput, 'input');
      const menu = await readOrderMenu(prisma, input.restaurantId, [...new Set(input.items.map((item) => item.menuItemId))]);
      if (!menu) throw new NotFoundError('Restaurant', input.restaurantId);
      const byId = new Map(menu.menuItems.map((item) => [item.id, item]));
      const unorderable = input.items.findIndex((line) => !byId.get(line.menuItemId)?.available);
      if (unorderable >= 0) {
        // A retry of an order that committed before its item was switched off or deleted still gets its order.
        const stored = await earlierOrder(input);
        if (stored) return replayedOrder(stored, input);
        const { menuItemId } = input.items[unorderable] as { menuItemId: string };
        const field = `input.items.${unorderable}.menuItemId`;
        const known = byId.get(menuItemId);
        throw new ValidationError(
          field,
          known ? `Menu item "${known.name}" is not available.` : `Menu item "${menuItemId}" is not on this restaurant's menu.`,
        );
      }
      const lines = input.items.map((line) => {
        const menuItem = byId.get(line.menuItemId) as NonNullable<ReturnType<typeof byId.get>>;
        return { menuItem, quantity: line.quantity, note: line.note ?? null, unitPriceAmount: menuItem.priceAmount };
      });
      const totals = computeOrderTotals(lines, menu.taxRateBps);

      const placement = await placeOrder(prisma, scope, {
        order: {
          restaurantId: input.restaurantId,
          idempotencyKey: input.idempotencyKey,
          currency: menu.currency,
          customerName: input.customerName ?? null,
          customerPhone: input.customerPhone ?? null,
          notes: input.notes ?? null,
          createdById: actorIdOf(scope),
          ...totals,
        },
        lines: lines.map((line) => ({
          menuItemId: line.menuItem.id,
          name: line.menuItem.name,
          unitPriceAmount: line.unitPriceAmount,
          quantity: line.quantity,
          note: line.note,
        })),
        audit: (order) => ({
          action: 'order.create',
          entityType: 'Order',
          entityId: order.id,
          restaurantId: order.restaurantId,
          after: auditSnapshot(order),
        }),
        stock: {
          movements: recipeUsage(lines.map((line) => ({ quantity: line.quantity, ingredients: line.menuItem.ingredients }))),
          allowNegative: menu.allowNegativeStock,
        },
      }).catch((error: unknown) => {
        // A menu item or stock item deleted between the menu read and the INSERT: nothing was written.
        if (isForeignKeyViolation(error))
          throw new ConflictError('The menu changed while this order was placed: read it again, then retry.');
        throw error;
      });
      if (placement.placed) {
        await publishAfterCommit(placement.order.restaurantId, placement.order.id, placement.stock);
        return placement.order;
      }
      // A retry (even a concurrent one) of a committed key gets its order, even once the stock has run out.
      const stored = await earlierOrder(input);
      if (stored) return replayedOrder(stored, input);
      if (placement.shortOfStock) return placement.shortOfStock();
      // The INSERT met a committed order with this key (it waits for one in progress), gone by the read above.
      throw new ConflictError(`Order key "${input.idempotencyKey.slice(0, 128)}" was used by an order since deleted: use a new key.`, {
        field: 'input.idempotencyKey',
      });
    },

    async updateStatus(orderId: string, status: OrderStatus, scope: RequestScope): Promise<Order> {
      const { order, stock } = await prisma.$transaction(async (tx) => {
        const current = await tx.order.findUnique({ where: { id: orderId }, include: { restaurant: true } });
        if (!current) throw new NotFoundError('Order', orderId);
        assertTransition(orderId, current.status, status);
        const now = new Date();
        // Conditional on the status read above: of two concurrent moves, the second is re-checked.
        const moved = await tx.order.updateMany({
          where: { id: orderId, status: current.status },
          data: {
            status,
            ...(status === 'COMPLETED' ? { completedAt: now } : {}),
            ...(status === 'CANCELLED' ? { cancelledAt: now } : {}),
          },
        });
        if (moved.count === 0) {
          const latest = await tx.order.findUniqueOrThrow({ where: { id: orderId } });
          assertTransition(orderId, latest.status, status);
          // Legal from the status another request just set, but not the move this one checked: moving (or
          // returning a cancelled order's stock) now would act on a state the caller never saw.
          throw new ConflictError(`Order "${orderId}" changed to ${latest.status} meanwhile: read it again, then retry.`, {
            field: 'status',
            currentStatus: latest.status,
          });
        }
        let stock: StockChange[] = [];
        if (status === 'CANCELLED') {
          const taken = await tx.inventoryAdjustment.findMany({ where: { orderId, reason: 'ORDER' } });
          stock = await applyStockMovements(tx, scope, {
            restaurantId: current.restaurantId,
            movements: taken.map((adjustment) => ({ inventoryItemId: adjustment.inventoryItemId, delta: adjustment.delta.negated() })),
            reason: 'ORDER_CANCELLED',
            orderId,
            allowNegative: true,
          });
        }
        const order = await tx.order.findUniqueOrThrow({ where: { id: orderId } });
        await recordAudit(tx, scope, {
          action: 'order.status',
          entityType: 'Order',
          entityId: orderId,
          restaurantId: current.restaurantId,
          before: { status: current.status },
          after: { status: order.status },
        });
        return { order, stock };
      });
      await publishAfterCommit(order.restaurantId, order.id, stock);
      return order;
    },

    /** A newest-first page of a restaurant's orders, with their lines when selected, counted only when asked. */
    async list(restaurantId: string, { withTotalCount = true, withLines = false, ...filters }: OrderFilters) {
      const { first, after, status, from, to } = parseInput(listOrdersInput, filters, 'args') as OrderFilters;
      const query = { restaurantId, status, from, to };
      const [orders, totalCount] = await Promise.all([
        readOrderPage(prisma, { ...query, after: after ? decodeCursor(after) : null, take: first + 1, withLines }),
        withTotalCount ? countOrders(prisma, query) : null,
      ]);
      // Not selected: never serialised, so no count was run.
      return toPage(orders, first, totalCount ?? 0);
    },
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
