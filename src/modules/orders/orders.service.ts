import { z } from 'zod';
import type { RequestScope } from '../../auth/request-scope.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { EventBus } from '../../events/event-bus.js';
import type { Order, OrderStatus } from '../../generated/prisma/client.js';
import { afterCursor, decodeCursor, toPage } from '../../infra/cursor.js';
import type { Db } from '../../infra/db.js';
import { isUniqueViolation } from '../../infra/prisma-errors.js';
import { id, parseInput, text } from '../../validation/validate.js';
import { recordAudit } from '../audit/audit.service.js';
import { applyStockMovements, crossedReorderThreshold, recipeUsage, type StockChange } from '../inventory/index.js';
import { replayedOrder } from './idempotency.js';
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

  return {
    async create(rawInput: unknown, scope: RequestScope): Promise<Order> {
      const input = parseInput(createOrderInput, rawInput, 'input');
      const existing = () =>
        prisma.order.findUnique({
          where: { restaurantId_idempotencyKey: { restaurantId: input.restaurantId, idempotencyKey: input.idempotencyKey } },
          include: { items: true },
        });
      const earlier = await existing();
      if (earlier) return replayedOrder(earlier, input);

      try {
        const { order, stock } = await prisma.$transaction(async (tx) => {
          const restaurant = await tx.restaurant.findUniqueOrThrow({ where: { id: input.restaurantId } });
          const menuItems = await tx.menuItem.findMany({
            where: { id: { in: input.items.map((item) => item.menuItemId) }, restaurantId: restaurant.id },
            include: { ingredients: true },
          });
          const byId = new Map(menuItems.map((item) => [item.id, item]));
          const lines = input.items.map((line, index) => {
            const menuItem = byId.get(line.menuItemId);
            const field = `input.items.${index}.menuItemId`;
            if (!menuItem) throw new ValidationError(field, `Menu item "${line.menuItemId}" is not on this restaurant's menu.`);
            if (!menuItem.available) throw new ValidationError(field, `Menu item "${menuItem.name}" is not available.`);
            return { menuItem, quantity: line.quantity, note: line.note ?? null, unitPriceAmount: menuItem.priceAmount };
          });
          const totals = computeOrderTotals(lines, restaurant.taxRateBps);
          const order = await tx.order.create({
            data: {
              restaurantId: restaurant.id,
              idempotencyKey: input.idempotencyKey,
              currency: restaurant.currency,
              customerName: input.customerName ?? null,
              customerPhone: input.customerPhone ?? null,
              notes: input.notes ?? null,
              createdById: scope.viewer.kind === 'user' ? scope.viewer.userId : null,
              ...totals,
              items: {
                create: lines.map((line, position) => ({
                  position,
                  menuItemId: line.menuItem.id,
                  name: line.menuItem.name,
                  unitPriceAmount: line.unitPriceAmount,
                  quantity: line.quantity,
                  lineTotalAmount: line.unitPriceAmount * line.quantity,
                  note: line.note,
                })),
              },
            },
          });
          const stock = await applyStockMovements(tx, scope, {
            restaurantId: restaurant.id,
            movements: recipeUsage(lines.map((line) => ({ quantity: line.quantity, ingredients: line.menuItem.ingredients }))),
            reason: 'ORDER',
            orderId: order.id,
            allowNegative: restaurant.allowNegativeStock,
          });
          await recordAudit(tx, scope, {
            action: 'order.create',
            entityType: 'Order',
            entityId: order.id,
            restaurantId: restaurant.id,
            after: auditSnapshot(order),
          });
          return { order, stock };
        });
        await publishAfterCommit(order.restaurantId, order.id, stock);
        return order;
      } catch (error) {
        // A concurrent retry with the same key won the race: answer with its order.
        if (isUniqueViolation(error)) {
          const winner = await existing();
          if (winner) return replayedOrder(winner, input);
        }
        throw error;
      }
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

    /** A newest-first page of a restaurant's orders, keyed by (createdAt, id) so pages never skip or repeat. */
    async list(restaurantId: string, filters: OrderFilters) {
      const { first, after, status, from, to } = parseInput(listOrdersInput, filters, 'args') as OrderFilters;
      const where = {
        restaurantId,
        ...(status ? { status } : {}),
        ...(from || to ? { createdAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
      };
      const cursor = after ? decodeCursor(after) : null;
      const [rows, totalCount] = await Promise.all([
        prisma.order.findMany({
          where: cursor ? { AND: [where, afterCursor(cursor)] } : where,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: first + 1,
        }),
        prisma.order.count({ where }),
      ]);
      return toPage(rows, first, totalCount);
    },
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
