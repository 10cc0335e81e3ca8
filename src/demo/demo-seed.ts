import { hashPassword } from '../auth/passwords.js';
import type { MenuItem, OrderStatus, TaskPriority, TaskStatus, User } from '../generated/prisma/client.js';
import type { Db } from '../infra/db.js';
import { computeOrderTotals } from '../modules/orders/order-totals.js';
import { type DemoRestaurant, demoPassword, demoRestaurants, demoRoles } from './demo-restaurants.js';

const dayMs = 86_400_000;
const historyDays = 30;
const ordersPerRestaurant = 320;

/** A small deterministic PRNG (mulberry32), so every fresh demo database looks the same. */
function createRandom(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

/** Seeds the demo restaurants, users and history unless the database already has a restaurant. */
export async function seedDemoDataIfEmpty(prisma: Db, now = new Date()): Promise<boolean> {
  if ((await prisma.restaurant.count()) > 0) return false;
  await seedDemoData(prisma, now);
  return true;
}

export async function seedDemoData(prisma: Db, now = new Date()): Promise<void> {
  const passwordHashes = await Promise.all(
    Array.from({ length: demoRestaurants.length * demoRoles.length + 1 }, () => hashPassword(demoPassword)),
  );
  await prisma.$transaction(
    async (tx) => {
      await tx.user.create({
        data: { email: 'admin@servio.test', name: 'Servio Admin', isAdmin: true, passwordHash: passwordHashes.pop() as string },
      });
      for (const [index, restaurant] of demoRestaurants.entries()) {
        await seedRestaurant(tx as Db, restaurant, passwordHashes, now, createRandom(index + 1));
      }
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

async function seedRestaurant(
  tx: Db,
  demo: DemoRestaurant,
  passwordHashes: string[],
  now: Date,
  random: ReturnType<typeof createRandom>,
): Promise<void> {
  const { inventory, menu, ...fields } = demo;
  const restaurant = await tx.restaurant.create({
    data: { ...fields, settings: { openingHours: { mon_sun: '11:00-22:00' } } },
  });

  const members: User[] = [];
  for (const role of demoRoles) {
    const user = await tx.user.create({
      data: {
        email: `${role.toLowerCase()}@${demo.slug}.test`,
        name: `${demo.name} ${role.charAt(0)}${role.slice(1).toLowerCase()}`,
        passwordHash: passwordHashes.pop() as string,
        memberships: { create: { restaurantId: restaurant.id, role } },
      },
    });
    members.push(user);
  }

  const stock = await tx.inventoryItem.createManyAndReturn({
    data: inventory.map((item) => ({ ...item, restaurantId: restaurant.id })),
  });
  const stockId = new Map(stock.map((item) => [item.name, item.id]));

  const menuItems: MenuItem[] = [];
  for (const [categoryIndex, section] of menu.entries()) {
    const category = await tx.menuCategory.create({
      data: { restaurantId: restaurant.id, name: section.category, description: section.description, sortOrder: categoryIndex },
    });
    for (const [itemIndex, dish] of section.dishes.entries()) {
      menuItems.push(
        await tx.menuItem.create({
          data: {
            restaurantId: restaurant.id,
            categoryId: category.id,
            name: dish.name,
            description: dish.description,
            priceAmount: dish.priceAmount,
            currency: demo.currency,
            // A couple of sold-out items, so the public menu visibly filters them.
            available: itemIndex !== 5,
            sortOrder: itemIndex,
            ingredients: {
              create: dish.recipe.map(([name, quantity]) => ({ inventoryItemId: stockId.get(name) as string, quantity })),
            },
          },
        }),
      );
    }
  }

  const orders = Array.from({ length: ordersPerRestaurant }, (_, index) => {
    const createdAt = new Date(now.getTime() - random.next() * historyDays * dayMs);
    const lines = Array.from({ length: random.int(1, 4) }, () => {
      const item = random.pick(menuItems);
      return { menuItemId: item.id, name: item.name, unitPriceAmount: item.priceAmount, quantity: random.int(1, 3) };
    });
    const ageHours = (now.getTime() - createdAt.getTime()) / 3_600_000;
    const status: OrderStatus =
      ageHours < 1
        ? random.pick(['PENDING', 'CONFIRMED', 'PREPARING', 'READY'] as const)
        : random.next() < 0.06
          ? 'CANCELLED'
          : 'COMPLETED';
    return {
      order: {
        restaurantId: restaurant.id,
        idempotencyKey: `demo-${demo.slug}-${index}`,
        status,
        currency: demo.currency,
        customerName: random.pick(['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Casey', null]),
        createdById: random.pick(members).id,
        createdAt,
        updatedAt: createdAt,
        completedAt: status === 'COMPLETED' ? new Date(createdAt.getTime() + 40 * 60_000) : null,
        cancelledAt: status === 'CANCELLED' ? new Date(createdAt.getTime() + 5 * 60_000) : null,
        ...computeOrderTotals(lines, demo.taxRateBps),
      },
      lines,
    };
  });
  const created = await tx.order.createManyAndReturn({
    data: orders.map(({ order }) => order),
    select: { id: true, idempotencyKey: true },
  });
  const orderId = new Map(created.map((order) => [order.idempotencyKey, order.id]));
  await tx.orderItem.createMany({
    data: orders.flatMap(({ order, lines }) =>
      lines.map((line, position) => ({
        ...line,
        position,
        orderId: orderId.get(order.idempotencyKey) as string,
        lineTotalAmount: line.unitPriceAmount * line.quantity,
        createdAt: order.createdAt,
      })),
    ),
  });

  const [owner, manager, staff] = members;
  const tasks: Array<{ title: string; priority: TaskPriority; status?: TaskStatus; assigneeId?: string | undefined; dueAt: Date }> = [
    { title: 'Deep-clean the fryer', priority: 'HIGH', assigneeId: staff?.id, dueAt: new Date(now.getTime() + dayMs) },
    { title: 'Count the walk-in', priority: 'MEDIUM', assigneeId: manager?.id, dueAt: new Date(now.getTime() - dayMs) },
    { title: 'Review supplier invoices', priority: 'LOW', assigneeId: owner?.id, dueAt: new Date(now.getTime() + 3 * dayMs) },
    {
      title: 'Restock the bar',
      priority: 'URGENT',
      status: 'IN_PROGRESS',
      assigneeId: staff?.id,
      dueAt: new Date(now.getTime() + 3_600_000),
    },
  ];
  await tx.task.createMany({ data: tasks.map((task) => ({ ...task, restaurantId: restaurant.id, createdById: manager?.id })) });

  // Two weeks of closed shifts for the staff member and the manager.
  await tx.timeEntry.createMany({
    data: [staff, manager].flatMap((user) =>
      Array.from({ length: 14 }, (_, day) => {
        const start = new Date(now.getTime() - (day + 1) * dayMs);
        start.setUTCHours(random.int(14, 17), 0, 0, 0);
        return {
          restaurantId: restaurant.id,
          userId: user?.id as string,
          clockInAt: start,
          clockOutAt: new Date(start.getTime() + random.int(5, 9) * 3_600_000),
        };
      }),
    ),
  });
}
