import { z } from 'zod';
import type { AnalyticsPeriod, AnalyticsService } from '../analytics/analytics.service.js';
import type { InventoryService } from '../inventory/inventory.service.js';
import type { MenuService } from '../menu/menu.service.js';
import type { TasksService } from '../tasks/tasks.service.js';

/** The restaurant a question is about: fixed by the authorised `restaurantId`, never by the model. */
export interface AssistantRestaurant {
  id: string;
  name: string;
  timezone: string;
  currency: string;
}

/** The module services the look-ups read through. */
export interface AssistantToolServices {
  analytics: AnalyticsService;
  inventory: InventoryService;
  menu: MenuService;
  tasks: TasksService;
}

export interface AssistantToolContext {
  restaurant: AssistantRestaurant;
  services: AssistantToolServices;
  now: Date;
}

/** A look-up the model may ask for: its arguments are checked with zod, its result goes back as JSON. */
export interface AssistantTool {
  name: string;
  description: string;
  args: z.ZodObject;
  run(args: never, context: AssistantToolContext): Promise<unknown>;
}

const days = z.number().int().min(1).max(366).describe('How many days back from now, 1 to 366.');

/** `1250` in USD → "12.50 USD": the model reads amounts, not minor units. */
function money(minorUnits: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return `${(minorUnits / 10 ** digits).toFixed(digits)} ${currency}`;
}

function lastDays(count: number, { restaurant, services, now }: AssistantToolContext): Promise<AnalyticsPeriod> {
  return services.analytics.period(restaurant.id, new Date(now.getTime() - count * 86_400_000), now);
}

function tool<A extends z.ZodObject>(definition: {
  name: string;
  description: string;
  args: A;
  run(args: z.infer<A>, context: AssistantToolContext): Promise<unknown>;
}): AssistantTool {
  return definition as AssistantTool;
}

/**
 * Every tool reads through the module services, scoped to the question's restaurant: the model
 * chooses what to look up, never whose data.
 */
export const assistantTools: readonly AssistantTool[] = [
  tool({
    name: 'sales_summary',
    description: 'Completed orders, revenue and average order value over the last N days, with a per-day breakdown.',
    args: z.object({ days }),
    async run({ days: count }, context) {
      const period = await lastDays(count, context);
      const { analytics } = context.services;
      const [byDay, average] = await Promise.all([analytics.salesByDay(period), analytics.averageOrderValue(period)]);
      const currency = context.restaurant.currency;
      return {
        completedOrders: byDay.reduce((sum, day) => sum + day.orderCount, 0),
        revenue: money(
          byDay.reduce((sum, day) => sum + day.revenue, 0),
          currency,
        ),
        averageOrderValue: money(average, currency),
        byDay: byDay.map((day) => ({ date: day.date, orders: day.orderCount, revenue: money(day.revenue, currency) })),
      };
    },
  }),
  tool({
    name: 'top_selling_items',
    description: 'The best-selling menu items by revenue over the last N days.',
    args: z.object({ days, limit: z.number().int().min(1).max(20).default(5).describe('How many items, 1 to 20.') }),
    async run({ days: count, limit }, context) {
      const items = await context.services.analytics.topItems(await lastDays(count, context), limit);
      return items.map((item) => ({
        name: item.name,
        portionsSold: item.quantity,
        revenue: money(item.revenue, context.restaurant.currency),
      }));
    },
  }),
  tool({
    name: 'low_stock_items',
    description: 'Inventory items at or below their reorder threshold.',
    args: z.object({}),
    async run(_args, context) {
      const items = await context.services.inventory.lowStock(context.restaurant.id);
      return items.map((item) => ({
        name: item.name,
        quantity: `${item.quantity.toString()} ${item.unit}`,
        reorderThreshold: `${item.reorderThreshold.toString()} ${item.unit}`,
      }));
    },
  }),
  tool({
    name: 'menu_items',
    description: 'The menu: every item with its price and whether it is available now.',
    args: z.object({}),
    async run(_args, context) {
      const items = await context.services.menu.listItems(context.restaurant.id, 100);
      return items.map((item) => ({ name: item.name, price: money(item.priceAmount, item.currency), available: item.available }));
    },
  }),
  tool({
    name: 'open_tasks',
    description: 'Tasks not done yet, most urgent first; with overdueOnly, only those past their due time.',
    args: z.object({ overdueOnly: z.boolean().default(false).describe('Only tasks past their due time.') }),
    async run({ overdueOnly }, context) {
      const { tasks } = context.services;
      const restaurantId = context.restaurant.id;
      const open = overdueOnly
        ? await tasks.listOverdue(restaurantId, 50, context.now)
        : (
            await Promise.all(['OPEN', 'IN_PROGRESS'].map((status) => tasks.list(restaurantId, { status: status as 'OPEN', first: 50 })))
          ).flat();
      return open.map((task) => ({
        title: task.title,
        status: task.status,
        priority: task.priority,
        dueAt: task.dueAt?.toISOString() ?? null,
      }));
    },
  }),
  tool({
    name: 'labor_vs_sales',
    description: 'Hours worked and revenue per day over the last N days, with revenue per labour hour.',
    args: z.object({ days }),
    async run({ days: count }, context) {
      const rows = await context.services.analytics.laborVsSales(await lastDays(count, context));
      const currency = context.restaurant.currency;
      return rows.map((row) => ({
        date: row.date,
        hoursWorked: row.hoursWorked,
        revenue: money(row.revenue, currency),
        revenuePerLaborHour: row.revenuePerLaborHour === null ? null : money(row.revenuePerLaborHour, currency),
      }));
    },
  }),
];
