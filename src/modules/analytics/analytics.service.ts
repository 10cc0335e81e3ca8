import { ValidationError } from '../../errors.js';
import type { OrderStatus } from '../../generated/prisma/client.js';
import type { Db } from '../../infra/db.js';

const maxDays = 366;

export interface AnalyticsPeriod {
  restaurantId: string;
  timezone: string;
  currency: string;
  from: Date;
  to: Date;
}

const toNumber = (value: bigint | number | null) => Number(value ?? 0);

/**
 * Analytics as SQL aggregates (tagged $queryRaw: parameters, never string-built SQL). Timestamps
 * are stored as UTC; `AT TIME ZONE 'UTC' AT TIME ZONE <tz>` turns them into the restaurant's
 * local time before they are cut into days.
 */
export function createAnalyticsService(deps: { prisma: Db }) {
  const { prisma } = deps;
  return {
    async period(restaurantId: string, from: Date, to: Date): Promise<AnalyticsPeriod> {
      if (to <= from) throw new ValidationError('to', '`to` must be after `from`.');
      if (to.getTime() - from.getTime() > maxDays * 86_400_000)
        throw new ValidationError('to', `The period can be at most ${maxDays} days.`);
      const restaurant = await prisma.restaurant.findUniqueOrThrow({ where: { id: restaurantId } });
      return { restaurantId, timezone: restaurant.timezone, currency: restaurant.currency, from, to };
    },

    async salesByDay(period: AnalyticsPeriod) {
      const rows = await prisma.$queryRaw<Array<{ date: string; orderCount: number; revenue: bigint }>>`
        SELECT to_char(("createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${period.timezone}, 'YYYY-MM-DD') AS date,
               count(*)::int AS "orderCount", sum("totalAmount")::bigint AS revenue
        FROM "Order"
        WHERE "restaurantId" = ${period.restaurantId} AND status = 'COMPLETED'
          AND "createdAt" >= ${period.from} AND "createdAt" < ${period.to}
        GROUP BY 1 ORDER BY 1`;
      return rows.map((row) => ({ date: row.date, orderCount: row.orderCount, revenue: toNumber(row.revenue) }));
    },

    async topItems(period: AnalyticsPeriod, first: number) {
      if (!Number.isInteger(first) || first < 1 || first > 100) throw new ValidationError('first', 'must be between 1 and 100');
      const rows = await prisma.$queryRaw<Array<{ name: string; menuItemId: string | null; quantity: bigint; revenue: bigint }>>`
        SELECT i.name, i."menuItemId", sum(i.quantity)::bigint AS quantity, sum(i."lineTotalAmount")::bigint AS revenue
        FROM "OrderItem" i JOIN "Order" o ON o.id = i."orderId"
        WHERE o."restaurantId" = ${period.restaurantId} AND o.status = 'COMPLETED'
          AND o."createdAt" >= ${period.from} AND o."createdAt" < ${period.to}
        GROUP BY i.name, i."menuItemId" ORDER BY revenue DESC, i.name LIMIT ${first}`;
      return rows.map((row) => ({
        name: row.name,
        menuItemId: row.menuItemId,
        quantity: toNumber(row.quantity),
        revenue: toNumber(row.revenue),
      }));
    },

    async averageOrderValue(period: AnalyticsPeriod): Promise<number> {
      const [row] = await prisma.$queryRaw<Array<{ average: bigint | null }>>`
        SELECT round(avg("totalAmount"))::bigint AS average FROM "Order"
        WHERE "restaurantId" = ${period.restaurantId} AND status = 'COMPLETED'
          AND "createdAt" >= ${period.from} AND "createdAt" < ${period.to}`;
      return toNumber(row?.average ?? null);
    },

    async ordersByStatus(period: AnalyticsPeriod) {
      const rows = await prisma.order.groupBy({
        by: ['status'],
        where: { restaurantId: period.restaurantId, createdAt: { gte: period.from, lt: period.to } },
        _count: { _all: true },
        orderBy: { status: 'asc' },
      });
      return rows.map((row) => ({ status: row.status as OrderStatus, count: row._count._all }));
    },

    async laborVsSales(period: AnalyticsPeriod) {
      const [hours, sales] = await Promise.all([
        prisma.$queryRaw<Array<{ date: string; hours: number }>>`
          SELECT to_char(("clockInAt" AT TIME ZONE 'UTC') AT TIME ZONE ${period.timezone}, 'YYYY-MM-DD') AS date,
                 round((sum(extract(epoch FROM (coalesce("clockOutAt", now() AT TIME ZONE 'UTC') - "clockInAt"))) / 3600)::numeric, 2)::float8 AS hours
          FROM "TimeEntry"
          WHERE "restaurantId" = ${period.restaurantId} AND "clockInAt" >= ${period.from} AND "clockInAt" < ${period.to}
          GROUP BY 1`,
        this.salesByDay(period),
      ]);
      const days = new Map<string, { hoursWorked: number; revenue: number }>();
      for (const row of hours) days.set(row.date, { hoursWorked: row.hours, revenue: 0 });
      for (const row of sales) days.set(row.date, { hoursWorked: days.get(row.date)?.hoursWorked ?? 0, revenue: row.revenue });
      return [...days]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([date, day]) => ({
          date,
          ...day,
          revenuePerLaborHour: day.hoursWorked > 0 ? Math.round(day.revenue / day.hoursWorked) : null,
        }));
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
