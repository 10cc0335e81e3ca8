import type { GraphQLContext } from '../../context.js';
import { NotFoundError } from '../../errors.js';
import type { Resolvers } from '../../generated/graphql.js';
import type { OrderItem } from '../../generated/prisma/client.js';
import { ordersSubscriptions } from './orders.subscriptions.js';
import { selectsField } from './selects-field.js';

const money = (amount: number, currency: string) => ({ amount, currency });

/** Lines are priced in their order's currency; the order is in the loader already. */
async function currencyOf(item: OrderItem, { loaders }: GraphQLContext): Promise<string> {
  const order = await loaders.orderById.load(item.orderId);
  if (!order) throw new NotFoundError('Order', item.orderId);
  return order.currency;
}

/** Listed orders seed the per-request loader, so their lines resolve without reloading them. */
function primed<T extends { edges: Array<{ node: { id: string } }> }>(page: T, { loaders }: GraphQLContext): T {
  for (const { node } of page.edges) loaders.orderById.prime(node.id, node as never);
  return page;
}

export const ordersResolvers: Resolvers = {
  Query: {
    orders: async (_parent, { restaurantId, ...filters }, context, info) =>
      primed(await context.services.orders.list(restaurantId, { ...filters, withTotalCount: selectsField(info, 'totalCount') }), context),
    order: (_parent, { id }, { loaders }) => loaders.orderById.load(id),
  },
  Mutation: {
    createOrder: (_parent, { input }, { services, scope }) => services.orders.create(input, scope),
    updateOrderStatus: (_parent, { id, status }, { services, scope }) => services.orders.updateStatus(id, status, scope),
  },
  Subscription: ordersSubscriptions,
  Restaurant: {
    orders: async (restaurant, filters, context, info) =>
      primed(await context.services.orders.list(restaurant.id, { ...filters, withTotalCount: selectsField(info, 'totalCount') }), context),
  },
  Order: {
    __resolveReference: ({ id }, { loaders }) => loaders.orderById.load(id),
    restaurant: async (order, _args, { loaders }) => {
      const restaurant = await loaders.restaurantById.load(order.restaurantId);
      if (!restaurant) throw new NotFoundError('Restaurant', order.restaurantId);
      return restaurant;
    },
    items: (order, _args, { loaders }) => loaders.itemsByOrderId.load(order.id),
    subtotal: (order) => money(order.subtotalAmount, order.currency),
    tax: (order) => money(order.taxAmount, order.currency),
    total: (order) => money(order.totalAmount, order.currency),
  },
  OrderItem: {
    menuItem: (item, _args, { loaders }) => (item.menuItemId ? loaders.menuItemById.load(item.menuItemId) : null),
    unitPrice: async (item, _args, context) => money(item.unitPriceAmount, await currencyOf(item, context)),
    lineTotal: async (item, _args, context) => money(item.lineTotalAmount, await currencyOf(item, context)),
  },
};
