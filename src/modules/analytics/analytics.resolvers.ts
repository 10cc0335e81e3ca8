import type { Resolvers } from '../../generated/graphql.js';

export const analyticsResolvers: Resolvers = {
  Query: {
    salesAnalytics: (_parent, { restaurantId, from, to }, { services }) => services.analytics.period(restaurantId, from, to),
  },
  SalesAnalytics: {
    salesByDay: async (period, _args, { services }) =>
      (await services.analytics.salesByDay(period)).map((day) => ({ ...day, revenue: { amount: day.revenue, currency: period.currency } })),
    topItems: async (period, { first }, { services, loaders }) =>
      Promise.all(
        (await services.analytics.topItems(period, first)).map(async (item) => ({
          name: item.name,
          quantity: item.quantity,
          revenue: { amount: item.revenue, currency: period.currency },
          menuItem: item.menuItemId ? await loaders.menuItemById.load(item.menuItemId) : null,
        })),
      ),
    averageOrderValue: async (period, _args, { services }) => ({
      amount: await services.analytics.averageOrderValue(period),
      currency: period.currency,
    }),
    ordersByStatus: (period, _args, { services }) => services.analytics.ordersByStatus(period),
    laborVsSales: async (period, _args, { services }) =>
      (await services.analytics.laborVsSales(period)).map((day) => ({
        date: day.date,
        hoursWorked: day.hoursWorked,
        revenue: { amount: day.revenue, currency: period.currency },
        revenuePerLaborHour: day.revenuePerLaborHour === null ? null : { amount: day.revenuePerLaborHour, currency: period.currency },
      })),
  },
};
