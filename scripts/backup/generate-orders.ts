/**
 * npm run db:generate-orders -- [count]: adds `count` (default 100,000) completed and cancelled
 * orders, with their lines, spread over the last year across the seeded restaurants: the data set
 * the README's backup and restore figures are measured on. Refuses NODE_ENV=production.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config.js';
import { createDatabase } from '../../src/infra/db.js';
import { lockDatabaseOrExit } from '../lock-database.js';

const count = Number(process.argv[2] ?? 100_000);
const config = loadConfig(process.env);
if (config.isProduction || !Number.isInteger(count) || count <= 0) {
  console.error(
    config.isProduction
      ? 'Refusing to generate orders: NODE_ENV=production.'
      : `usage: npm run db:generate-orders -- [count], not "${process.argv[2]}"`,
  );
  process.exit(1);
}

lockDatabaseOrExit('db:generate-orders', config.database);
const db = await createDatabase(config.database);
try {
  const restaurants = await db.prisma.restaurant.findMany({
    select: { id: true, currency: true, menuItems: { select: { id: true, name: true, priceAmount: true } } },
  });
  const menus = restaurants.filter((restaurant) => restaurant.menuItems.length > 0);
  if (menus.length === 0) throw new Error('no restaurant with a menu: run `npm run seed` first');
  const run = Date.now().toString(36);
  const started = Date.now();
  const batchSize = 2_000;
  for (let offset = 0; offset < count; offset += batchSize) {
    const orders = [];
    const lines = [];
    for (let index = offset; index < Math.min(count, offset + batchSize); index++) {
      const restaurant = menus[index % menus.length] as (typeof menus)[number];
      const id = randomUUID();
      const createdAt = new Date(started - Math.floor(Math.random() * 365 * 86_400_000));
      let subtotal = 0;
      for (let position = 0; position < 1 + (index % 4); position++) {
        const item = restaurant.menuItems[
          (index * 7 + position * 13) % restaurant.menuItems.length
        ] as (typeof restaurant.menuItems)[number];
        const quantity = 1 + ((index + position) % 3);
        subtotal += item.priceAmount * quantity;
        lines.push({
          id: randomUUID(),
          orderId: id,
          position,
          menuItemId: item.id,
          name: item.name,
          unitPriceAmount: item.priceAmount,
          quantity,
          lineTotalAmount: item.priceAmount * quantity,
          createdAt,
        });
      }
      const tax = Math.round(subtotal * 0.1);
      const cancelled = index % 20 === 0;
      orders.push({
        id,
        restaurantId: restaurant.id,
        status: cancelled ? ('CANCELLED' as const) : ('COMPLETED' as const),
        idempotencyKey: `generated-${run}-${index}`,
        subtotalAmount: subtotal,
        taxAmount: tax,
        totalAmount: subtotal + tax,
        currency: restaurant.currency,
        createdAt,
        updatedAt: createdAt,
        ...(cancelled ? { cancelledAt: createdAt } : { completedAt: new Date(createdAt.getTime() + 20 * 60_000) }),
      });
    }
    // Orders first, then their lines; no transaction, whose 5 s limit a loaded machine exceeds.
    await db.prisma.order.createMany({ data: orders });
    await db.prisma.orderItem.createMany({ data: lines });
    process.stdout.write(`\r${Math.min(count, offset + batchSize)} / ${count} orders`);
  }
  console.log(`\nGenerated ${count} orders in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} finally {
  await db.close();
}
