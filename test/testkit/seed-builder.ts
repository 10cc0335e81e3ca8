import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../src/auth/passwords.js';
import type { Db } from '../../src/infra/db.js';
import { testPassword } from './test-server.js';

/** A unique suffix, so concurrent suites sharing one database never collide on slugs or emails. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

interface CategorySpec {
  name: string;
  items: number;
  unavailable: number;
  /** Every item of the category uses these stock items: [stock name, quantity per portion]. */
  recipe: Array<[string, number]>;
}

/**
 * Seeds one restaurant of its own for a test:
 * `await aRestaurant(prisma).withCategory('Mains', 40).build()`.
 */
export function aRestaurant(prisma: Db) {
  const suffix = uniqueSuffix();
  const fields = { slug: `test-${suffix}`, name: `Test Restaurant ${suffix}`, currency: 'EUR', timezone: 'Europe/Paris', taxRateBps: 1000 };
  const categories: CategorySpec[] = [];
  const stock: Array<{ name: string; unit: string; quantity: number; reorderThreshold: number }> = [];
  const builder = {
    /** A stock item: `.withStock('Flour', 10, { threshold: 2 })`. */
    withStock(name: string, quantity: number, options: { threshold?: number; unit?: string } = {}) {
      stock.push({ name, quantity, reorderThreshold: options.threshold ?? 0, unit: options.unit ?? 'kg' });
      return builder;
    },
    allowingNegativeStock() {
      Object.assign(fields, { allowNegativeStock: true });
      return builder;
    },
    named(name: string) {
      fields.name = name;
      return builder;
    },
    withCategory(name: string, items: number, options: { unavailable?: number; recipe?: Array<[string, number]> } = {}) {
      categories.push({ name, items, unavailable: options.unavailable ?? 0, recipe: options.recipe ?? [] });
      return builder;
    },
    async build() {
      const restaurant = await prisma.restaurant.create({ data: fields });
      const stockItems = await prisma.inventoryItem.createManyAndReturn({
        data: stock.map((item) => ({ ...item, restaurantId: restaurant.id })),
      });
      const stockId = (stockName: string) => {
        const found = stockItems.find((item) => item.name === stockName);
        if (!found) throw new Error(`no stock item "${stockName}": add it with withStock()`);
        return found.id;
      };
      const built = [];
      for (const [categoryIndex, spec] of categories.entries()) {
        const category = await prisma.menuCategory.create({
          data: { restaurantId: restaurant.id, name: spec.name, sortOrder: categoryIndex },
        });
        const items = await prisma.menuItem.createManyAndReturn({
          data: Array.from({ length: spec.items }, (_, index) => ({
            restaurantId: restaurant.id,
            categoryId: category.id,
            name: `${spec.name} item ${index}`,
            priceAmount: 500 + index,
            currency: restaurant.currency,
            sortOrder: index,
            available: index >= spec.unavailable,
          })),
        });
        if (spec.recipe.length > 0) {
          await prisma.menuItemIngredient.createMany({
            data: items.flatMap((item) =>
              spec.recipe.map(([stockName, quantity]) => ({ menuItemId: item.id, inventoryItemId: stockId(stockName), quantity })),
            ),
          });
        }
        built.push({ category, items: items.sort((a, b) => a.sortOrder - b.sortOrder) });
      }
      return { restaurant, categories: built, stock: stockItems };
    },
  };
  return builder;
}

let testPasswordHash: Promise<string> | undefined;

/**
 * A user of its own for a test, signing in with `testPassword`:
 * `await aUser(prisma).memberOf(restaurant.id, 'MANAGER').build()`.
 */
export function aUser(prisma: Db) {
  const suffix = uniqueSuffix();
  const fields = { email: `user-${suffix}@servio.test`, name: `Test User ${suffix}`, isAdmin: false };
  const memberships: Array<{ restaurantId: string; role: 'OWNER' | 'MANAGER' | 'STAFF' }> = [];
  const builder = {
    admin() {
      fields.isAdmin = true;
      return builder;
    },
    memberOf(restaurantId: string, role: 'OWNER' | 'MANAGER' | 'STAFF') {
      memberships.push({ restaurantId, role });
      return builder;
    },
    async build() {
      testPasswordHash ??= hashPassword(testPassword);
      return prisma.user.create({ data: { ...fields, passwordHash: await testPasswordHash, memberships: { create: memberships } } });
    },
  };
  return builder;
}

/** A restaurant with one signed-in member per role (and a second STAFF), for role-matrix tests. */
export async function aTeam(server: { infra: { db: { prisma: Db } }; loginAs(email: string): Promise<{ authorization: string }> }) {
  const prisma = server.infra.db.prisma;
  const { restaurant } = await aRestaurant(prisma).build();
  const member = async (role: 'OWNER' | 'MANAGER' | 'STAFF') => {
    const user = await aUser(prisma).memberOf(restaurant.id, role).build();
    return { user, headers: await server.loginAs(user.email) };
  };
  const [owner, manager, staff, otherStaff] = await Promise.all([member('OWNER'), member('MANAGER'), member('STAFF'), member('STAFF')]);
  return { restaurant, owner, manager, staff, otherStaff };
}
