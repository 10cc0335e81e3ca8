import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../../context.js';
import { NotFoundError } from '../../errors.js';
import type { Resolvers } from '../../generated/graphql.js';
import type { MenuItem } from '../../generated/prisma/client.js';
import type { OrderLineModel, OrderModel } from './order-model.js';
import type { OrderFilters } from './orders.service.js';
import { ordersSubscriptions } from './orders.subscriptions.js';
import { selectsField } from './selects-field.js';

const money = (amount: number, currency: string) => ({ amount, currency });

/** A line's price in its order's currency: read with the line by a page, else from the order (in the loader already). */
function priced(amount: number, line: OrderLineModel, { loaders }: GraphQLContext) {
  if (line.currency !== undefined) return money(amount, line.currency);
  return loaders.orderById.load(line.orderId).then((order) => {
    if (!order) throw new NotFoundError('Order', line.orderId);
    return money(amount, order.currency);
  });
}

/**
 * Each line's menu item, attached as a plain value: one loader call for the page's distinct items (a second
 * statement, or none when the request has read them), not a promise per line for graphql-js to await.
 */
async function attachMenuItems(orders: readonly OrderModel[], { loaders }: GraphQLContext) {
  const lines = orders.flatMap((order) => order.items ?? []);
  const ids = [...new Set(lines.flatMap((line) => (line.menuItemId ? [line.menuItemId] : [])))];
  const items = await loaders.menuItemById.loadMany(ids);
  const byId = new Map<string, MenuItem | null>();
  items.forEach((item, index) => {
    if (item instanceof Error) throw item;
    byId.set(ids[index] as string, item);
  });
  for (const line of lines) line.menuItem = line.menuItemId ? (byId.get(line.menuItemId) ?? null) : null;
}

/**
 * A page of a restaurant's orders, reading along what its selection asks for (the count, the lines, their
 * menu items); the listed orders seed the per-request loader, so their lines resolve without reloading them.
 */
async function ordersPage(
  restaurantId: string,
  filters: Omit<OrderFilters, 'withTotalCount' | 'withLines'>,
  context: GraphQLContext,
  info: GraphQLResolveInfo,
) {
  const page = await context.services.orders.list(restaurantId, {
    ...filters,
    withTotalCount: selectsField(info, 'totalCount'),
    withLines: selectsField(info, 'edges', 'node', 'items'),
  });
  const nodes = page.edges.map((edge) => edge.node);
  if (selectsField(info, 'edges', 'node', 'items', 'menuItem')) await attachMenuItems(nodes, context);
  for (const node of nodes) context.loaders.orderById.prime(node.id, node);
  return page;
}

export const ordersResolvers: Resolvers = {
  Query: {
    orders: (_parent, { restaurantId, ...filters }, context, info) => ordersPage(restaurantId, filters, context, info),
    order: (_parent, { id }, { loaders }) => loaders.orderById.load(id),
  },
  Mutation: {
    createOrder: (_parent, { input }, { services, scope }) => services.orders.create(input, scope),
    updateOrderStatus: (_parent, { id, status }, { services, scope }) => services.orders.updateStatus(id, status, scope),
  },
  Subscription: ordersSubscriptions,
  Restaurant: {
    orders: (restaurant, filters, context, info) => ordersPage(restaurant.id, filters, context, info),
  },
  Order: {
    __resolveReference: ({ id }, { loaders }) => loaders.orderById.load(id),
    restaurant: async (order, _args, { loaders }) => {
      const restaurant = await loaders.restaurantById.load(order.restaurantId);
      if (!restaurant) throw new NotFoundError('Restaurant', order.restaurantId);
      return restaurant;
    },
    // Plain values when the page read them along: no promise per order or line for graphql-js to await.
    items: (order, _args, { loaders }) => order.items ?? loaders.itemsByOrderId.load(order.id),
    subtotal: (order) => money(order.subtotalAmount, order.currency),
    tax: (order) => money(order.taxAmount, order.currency),
    total: (order) => money(order.totalAmount, order.currency),
  },
  OrderItem: {
    menuItem: (item, _args, { loaders }) =>
      item.menuItem !== undefined ? item.menuItem : item.menuItemId ? loaders.menuItemById.load(item.menuItemId) : null,
    unitPrice: (item, _args, context) => priced(item.unitPriceAmount, item, context),
    lineTotal: (item, _args, context) => priced(item.lineTotalAmount, item, context),
  },
};
