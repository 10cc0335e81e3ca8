import { type Order, type OrderItem, type OrderStatus, Prisma } from '../../generated/prisma/client.js';
import type { TimeCursor } from '../../infra/cursor.js';
import type { Db } from '../../infra/db.js';
import type { OrderLineModel, OrderModel } from './order-model.js';

export interface OrderPageQuery {
  restaurantId: string;
  status?: OrderStatus | null;
  from?: Date | null;
  to?: Date | null;
  after: TimeCursor | null;
  /** Rows to read: the page size and one more, which says whether a next page exists. */
  take: number;
  /** Each order's lines, read in the same statement. */
  withLines: boolean;
}

/** The conditions of a restaurant's order list, shared by its page and its count. */
function orderListConditions({ restaurantId, status, from, to }: Pick<OrderPageQuery, 'restaurantId' | 'status' | 'from' | 'to'>) {
  return Prisma.sql`o."restaurantId" = ${restaurantId}
    ${status ? Prisma.sql`AND o.status = ${status}::"OrderStatus"` : Prisma.empty}
    ${from ? Prisma.sql`AND o."createdAt" >= ${from}` : Prisma.empty}
    ${to ? Prisma.sql`AND o."createdAt" < ${to}` : Prisma.empty}`;
}

// Timestamps inside JSON carry their offset (`AT TIME ZONE 'UTC'`): a bare local time would be read in the server's zone.
// Without their menu items: a page of 100 names each of a menu's few dozen items hundreds of times, and building those
// copies as JSON cost PostgreSQL more than the rest of the page (the loader reads each item once instead).
const linesColumn = Prisma.sql`, (SELECT COALESCE(json_agg(json_build_object(
    'id', i.id, 'orderId', i."orderId", 'position', i.position, 'menuItemId', i."menuItemId", 'name', i.name,
    'unitPriceAmount', i."unitPriceAmount", 'quantity', i.quantity, 'lineTotalAmount', i."lineTotalAmount", 'note', i.note,
    'createdAt', i."createdAt" AT TIME ZONE 'UTC') ORDER BY i.position, i.id), '[]'::json)
  FROM "OrderItem" i WHERE i."orderId" = o.id) AS items`;

type LineJson = Omit<OrderItem, 'createdAt'> & { createdAt: string };

/**
 * A newest-first slice of a restaurant's orders, keyed by (createdAt, id) so pages never skip or repeat, in one
 * statement with its lines when asked: PostgreSQL builds the lines as JSON (the columns of each row once), which
 * costs the server less than half the CPU of Prisma's relation joins for a page of 100.
 */
export async function readOrderPage(prisma: Db, query: OrderPageQuery): Promise<OrderModel[]> {
  const { after, take, withLines } = query;
  const rows = await prisma.$queryRaw<Array<Order & { items?: LineJson[] }>>`
    SELECT o.id, o."restaurantId", o.status::text AS status, o."idempotencyKey", o."subtotalAmount", o."taxAmount",
      o."totalAmount", o.currency, o.notes, o."customerName", o."customerPhone", o."createdById", o."completedAt",
      o."cancelledAt", o."createdAt", o."updatedAt" ${withLines ? linesColumn : Prisma.empty}
    FROM "Order" o
    WHERE ${orderListConditions(query)}
      ${after ? Prisma.sql`AND (o."createdAt", o.id) < (${after.createdAt}, ${after.id})` : Prisma.empty}
    ORDER BY o."createdAt" DESC, o.id DESC
    LIMIT ${take}`;
  if (!withLines) return rows as OrderModel[];
  // The lines are this statement's own fresh objects: completed in place, not copied (a page of 100 has ~300).
  for (const row of rows as Array<Order & { items: LineJson[] }>) {
    for (const line of row.items) {
      const completed = line as unknown as OrderLineModel;
      completed.createdAt = new Date(line.createdAt);
      completed.currency = row.currency;
    }
  }
  return rows as OrderModel[];
}

/** How many orders the list's conditions match (only run when `totalCount` is selected). */
export async function countOrders(prisma: Db, query: Pick<OrderPageQuery, 'restaurantId' | 'status' | 'from' | 'to'>): Promise<number> {
  const [row] = await prisma.$queryRaw<
    Array<{ count: number }>
  >`SELECT count(*)::int AS count FROM "Order" o WHERE ${orderListConditions(query)}`;
  return row?.count ?? 0;
}
