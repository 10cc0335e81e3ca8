import { Prisma } from '../src/generated/prisma/client.js';
import type { Db } from '../src/infra/db.js';

/** What the workloads need to know about the generated data. */
export interface BenchData {
  /** The read restaurant: its public menu, and a manager's view of its orders. */
  readSlug: string;
  readRestaurantId: string;
  managerId: string;
  /** The write restaurant: staff place orders here, so the read restaurant's answers never change. */
  writeRestaurantId: string;
  writerIds: string[];
  /** Available menu items of the write restaurant. */
  orderableItemIds: string[];
}

const categories = ['Starters', 'Salads', 'Mains', 'Pasta', 'Desserts', 'Drinks'];
const itemsPerCategory = 7;
const stockItems = ['Flour', 'Tomatoes', 'Mozzarella', 'Basil', 'Olive oil', 'Chicken', 'Rice', 'Lettuce', 'Cream', 'Coffee beans'];

/** A deterministic pseudo-random sequence, so every run generates the same data. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

async function restaurantWithMenu(prisma: Db, slug: string, name: string) {
  const restaurant = await prisma.restaurant.create({
    data: { slug, name, currency: 'EUR', timezone: 'Europe/Paris', taxRateBps: 1000, allowNegativeStock: true },
  });
  const stock = await prisma.inventoryItem.createManyAndReturn({
    data: stockItems.map((item) => ({ restaurantId: restaurant.id, name: item, unit: 'kg', quantity: 1_000_000, reorderThreshold: 5 })),
  });
  const items = [];
  for (const [categoryIndex, categoryName] of categories.entries()) {
    const category = await prisma.menuCategory.create({
      data: { restaurantId: restaurant.id, name: categoryName, sortOrder: categoryIndex },
    });
    const created = await prisma.menuItem.createManyAndReturn({
      data: Array.from({ length: itemsPerCategory }, (_, index) => ({
        restaurantId: restaurant.id,
        categoryId: category.id,
        name: `${categoryName} ${index + 1}`,
        description: `House ${categoryName.toLowerCase()} number ${index + 1}`,
        priceAmount: 450 + categoryIndex * 200 + index * 50,
        currency: 'EUR',
        available: index !== itemsPerCategory - 1,
        sortOrder: index,
      })),
    });
    items.push(...created);
  }
  await prisma.menuItemIngredient.createMany({
    data: items.flatMap((item, index) => [
      { menuItemId: item.id, inventoryItemId: (stock[index % stock.length] as { id: string }).id, quantity: new Prisma.Decimal('0.150') },
      {
        menuItemId: item.id,
        inventoryItemId: (stock[(index + 3) % stock.length] as { id: string }).id,
        quantity: new Prisma.Decimal('0.020'),
      },
    ]),
  });
  return { restaurant, items };
}

/**
 * Generates the benchmark's data in an empty database: a read restaurant with a 42-item menu and
 * `orders` orders (1–4 lines, 90 days), its manager, and a write restaurant with `writers` staff.
 */
export async function generateBenchData(prisma: Db, options: { orders: number; writers: number }): Promise<BenchData> {
  const next = random(42);
  const read = await restaurantWithMenu(prisma, 'bench-bistro', 'Bench Bistro');
  const write = await restaurantWithMenu(prisma, 'bench-kitchen', 'Bench Kitchen');
  const passwordHash = 'not-a-password-hash: bench accounts sign in with minted tokens only';
  const manager = await prisma.user.create({
    data: {
      email: 'manager@bench.test',
      name: 'Bench Manager',
      passwordHash,
      memberships: { create: { restaurantId: read.restaurant.id, role: 'MANAGER' } },
    },
  });
  const writers = await prisma.user.createManyAndReturn({
    data: Array.from({ length: options.writers }, (_, index) => ({
      email: `staff${index}@bench.test`,
      name: `Staff ${index}`,
      passwordHash,
    })),
  });
  await prisma.membership.createMany({
    data: writers.map((user) => ({ userId: user.id, restaurantId: write.restaurant.id, role: 'STAFF' as const })),
  });

  const statuses = ['COMPLETED', 'COMPLETED', 'COMPLETED', 'CANCELLED', 'PENDING', 'CONFIRMED', 'PREPARING', 'READY'] as const;
  const start = Date.UTC(2026, 8, 1);
  for (let batch = 0; batch < options.orders; batch += 500) {
    const orders = Array.from({ length: Math.min(500, options.orders - batch) }, (_, offset) => {
      const index = batch + offset;
      const lines = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, position) => {
        const item = read.items[Math.floor(next() * read.items.length)] as (typeof read.items)[number];
        const quantity = 1 + Math.floor(next() * 3);
        return {
          position,
          menuItemId: item.id,
          name: item.name,
          unitPriceAmount: item.priceAmount,
          quantity,
          lineTotalAmount: item.priceAmount * quantity,
        };
      });
      const subtotalAmount = lines.reduce((sum, line) => sum + line.lineTotalAmount, 0);
      const taxAmount = Math.floor((subtotalAmount * 1000 + 5_000) / 10_000);
      const order = {
        id: crypto.randomUUID(),
        restaurantId: read.restaurant.id,
        idempotencyKey: `bench-${index}`,
        status: statuses[index % statuses.length] as (typeof statuses)[number],
        subtotalAmount,
        taxAmount,
        totalAmount: subtotalAmount + taxAmount,
        currency: 'EUR',
        createdById: manager.id,
        createdAt: new Date(start + index * 3_100_000),
      };
      return { order, lines: lines.map((line) => ({ ...line, orderId: order.id })) };
    });
    await prisma.order.createMany({ data: orders.map(({ order }) => order) });
    await prisma.orderItem.createMany({ data: orders.flatMap(({ lines }) => lines) });
  }
  return {
    readSlug: read.restaurant.slug,
    readRestaurantId: read.restaurant.id,
    managerId: manager.id,
    writeRestaurantId: write.restaurant.id,
    writerIds: writers.map((user) => user.id),
    orderableItemIds: write.items.filter((item) => item.available).map((item) => item.id),
  };
}
