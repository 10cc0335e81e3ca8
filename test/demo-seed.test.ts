import { verify } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { demoPassword } from '../src/demo/demo-restaurants.js';
import { seedDemoDataIfEmpty } from '../src/demo/demo-seed.js';
import { createDatabase, type Database } from '../src/infra/db.js';
import { applyPendingMigrations } from '../src/infra/migrations/migrator.js';

// Always a private embedded database: the demo data uses fixed slugs and emails.
describe('demo seed', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createDatabase(loadConfig({ EMBEDDED_DATA_DIR: 'memory://' }).database);
    await applyPendingMigrations(db.adapterFactory);
    expect(await seedDemoDataIfEmpty(db.prisma)).toBe(true);
  });
  afterAll(() => db?.close());

  it('creates the two demo restaurants with 40+ menu items in categories each', async () => {
    const restaurants = await db.prisma.restaurant.findMany({
      orderBy: { slug: 'asc' },
      include: { _count: { select: { menuItems: true, menuCategories: true, inventoryItems: true } } },
    });

    expect(restaurants.map((restaurant) => restaurant.slug)).toEqual(['demo-bistro', 'harbor-grill']);
    for (const restaurant of restaurants) {
      expect(restaurant._count.menuItems).toBeGreaterThanOrEqual(40);
      expect(restaurant._count.menuCategories).toBeGreaterThanOrEqual(4);
      expect(restaurant._count.inventoryItems).toBeGreaterThanOrEqual(10);
    }
    expect(await db.prisma.menuItemIngredient.count()).toBeGreaterThan(80);
  });

  it('has one user per role per restaurant and a platform admin, all with the demo password', async () => {
    const users = await db.prisma.user.findMany({ include: { memberships: { include: { restaurant: true } } }, orderBy: { email: 'asc' } });

    expect(users.map((user) => user.email)).toEqual([
      'admin@servio.test',
      'manager@demo-bistro.test',
      'manager@harbor-grill.test',
      'owner@demo-bistro.test',
      'owner@harbor-grill.test',
      'staff@demo-bistro.test',
      'staff@harbor-grill.test',
    ]);
    for (const user of users.filter((candidate) => !candidate.isAdmin)) {
      const [role, slug] = user.email.replace('.test', '').split('@');
      expect(user.memberships.map((membership) => [membership.role, membership.restaurant.slug])).toEqual([[role?.toUpperCase(), slug]]);
    }
    expect(users[0]?.isAdmin).toBe(true);
    expect(users[0]?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verify(users[0]?.passwordHash ?? '', demoPassword)).toBe(true);
  });

  it('has several hundred orders over the last 30 days whose totals add up', async () => {
    const orders = await db.prisma.order.findMany({ include: { items: true } });
    const oldest = Math.min(...orders.map((order) => order.createdAt.getTime()));

    expect(orders.length).toBeGreaterThanOrEqual(300);
    expect(Date.now() - oldest).toBeGreaterThan(20 * 86_400_000);
    expect(Date.now() - oldest).toBeLessThanOrEqual(30 * 86_400_000);
    for (const order of orders) {
      expect(order.items.reduce((sum, item) => sum + item.lineTotalAmount, 0)).toBe(order.subtotalAmount);
      expect(order.totalAmount).toBe(order.subtotalAmount + order.taxAmount);
    }
  });

  it('does nothing on a database that already has restaurants', async () => {
    expect(await seedDemoDataIfEmpty(db.prisma)).toBe(false);
    expect(await db.prisma.restaurant.count()).toBe(2);
  });
});
