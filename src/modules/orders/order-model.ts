import type { MenuItem, Order, OrderItem } from '../../generated/prisma/client.js';

/** An order line as its resolvers receive it: with its menu item and currency when its page read them along. */
export type OrderLineModel = OrderItem & { menuItem?: MenuItem | null; currency?: string };

/** An order as its resolvers receive it: with its lines when its page read them in the same statement. */
export type OrderModel = Order & { items?: OrderLineModel[] };

/** An order with the lines read with it, each carrying the order's currency so its prices need no lookup. */
export function orderWithLines(order: Order, lines: readonly OrderLineModel[]): OrderModel {
  return { ...order, items: lines.map((line) => ({ ...line, currency: order.currency })) };
}

/** An order's lines as the guest gave them. */
export const linesInOrder = [{ position: 'asc' as const }, { id: 'asc' as const }];
