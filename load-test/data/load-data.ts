import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../src/auth/passwords.js';
import type { Db } from '../../src/infra/db.js';

/** Every generated load user signs in with it (they live only in load-test databases). */
export const loadUserPassword = 'load-test-password-not-for-production';

export const staffPerRestaurant = 10;
const menuItemsPerRestaurant = 12;

export interface LoadRestaurant {
  id: string;
  slug: string;
  menuItemIds: string[];
}

export interface LoadUser {
  email: string;
  restaurant: LoadRestaurant;
}

export interface LoadData {
  restaurants: LoadRestaurant[];
  /** User `i` works at restaurant `i % restaurants.length`, so a ramp spreads over every restaurant. */
  users: LoadUser[];
}

/**
 * Restaurants with a menu and 10 staff each, enough for one user per virtual user: per-user rate
 * limits then stay what a real waiter meets, instead of being lifted. Menu items have no recipe,
 * so orders never run out of stock. Names carry a run suffix, so runs can share a database.
 */
export async function generateLoadData(prisma: Db, users: number): Promise<LoadData> {
  const run = randomBytes(3).toString('hex');
  const count = Math.max(1, Math.ceil(users / staffPerRestaurant));
  const passwordHash = await hashPassword(loadUserPassword);
  const restaurants: LoadRestaurant[] = [];
  for (let r = 0; r < count; r++) {
    const restaurant = await prisma.restaurant.create({
      data: { slug: `load-${run}-${r}`, name: `Load Test ${run} #${r}`, currency: 'EUR', taxRateBps: 1000 },
    });
    const category = await prisma.menuCategory.create({ data: { restaurantId: restaurant.id, name: 'Mains', sortOrder: 0 } });
    const items = await prisma.menuItem.createManyAndReturn({
      data: Array.from({ length: menuItemsPerRestaurant }, (_, index) => ({
        restaurantId: restaurant.id,
        categoryId: category.id,
        name: `Dish ${index}`,
        priceAmount: 900 + index * 50,
        currency: 'EUR',
        sortOrder: index,
      })),
    });
    restaurants.push({ id: restaurant.id, slug: restaurant.slug, menuItemIds: items.map((item) => item.id) });
  }
  const generated: LoadUser[] = [];
  for (let index = 0; index < count * staffPerRestaurant; index++) {
    const restaurant = restaurants[index % count] as LoadRestaurant;
    const email = `load-${run}-${index}@servio.test`;
    generated.push({ email, restaurant });
  }
  await prisma.user.createMany({
    data: generated.map(({ email }, index) => ({ email, name: `Load User ${index}`, passwordHash, isAdmin: false })),
  });
  const ids = await prisma.user.findMany({ where: { email: { startsWith: `load-${run}-` } }, select: { id: true, email: true } });
  const restaurantOf = new Map(generated.map((user) => [user.email, user.restaurant.id]));
  await prisma.membership.createMany({
    data: ids.map((user) => ({ userId: user.id, restaurantId: restaurantOf.get(user.email) as string, role: 'STAFF' as const })),
  });
  return { restaurants, users: generated };
}
