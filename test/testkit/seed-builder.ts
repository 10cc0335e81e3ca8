import { randomBytes } from 'node:crypto';
import type { Prisma } from '../../src/infra/db.js';

/** A unique suffix, so concurrent suites sharing one database never collide on slugs or emails. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

interface CategorySpec {
  name: string;
  items: number;
  unavailable: number;
}

/**
 * Seeds one restaurant of its own for a test:
 * `await aRestaurant(prisma).withCategory('Mains', 40).build()`.
 */
export function aRestaurant(prisma: Prisma) {
  const suffix = uniqueSuffix();
  const fields = { slug: `test-${suffix}`, name: `Test Restaurant ${suffix}`, currency: 'EUR', timezone: 'Europe/Paris', taxRateBps: 1000 };
  const categories: CategorySpec[] = [];
  const builder = {
    named(name: string) {
      fields.name = name;
      return builder;
    },
    withCategory(name: string, items: number, options: { unavailable?: number } = {}) {
      categories.push({ name, items, unavailable: options.unavailable ?? 0 });
      return builder;
    },
    async build() {
      const restaurant = await prisma.restaurant.create({ data: fields });
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
        built.push({ category, items: items.sort((a, b) => a.sortOrder - b.sortOrder) });
      }
      return { restaurant, categories: built };
    },
  };
  return builder;
}
