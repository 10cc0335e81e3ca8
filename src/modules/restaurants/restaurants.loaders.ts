import DataLoader from 'dataloader';
import { manyByKey, oneByKey } from '../../infra/batch.js';
import type { Db } from '../../infra/db.js';

export function createRestaurantLoaders(prisma: Db) {
  return {
    restaurantById: new DataLoader(async (ids: readonly string[]) =>
      oneByKey(ids, await prisma.restaurant.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    ),
    membershipsByRestaurantId: new DataLoader(async (restaurantIds: readonly string[]) =>
      manyByKey(
        restaurantIds,
        await prisma.membership.findMany({
          where: { restaurantId: { in: [...restaurantIds] } },
          orderBy: [{ role: 'asc' }, { createdAt: 'asc' }],
        }),
        (row) => row.restaurantId,
      ),
    ),
    restaurantBySlug: new DataLoader(async (slugs: readonly string[]) =>
      oneByKey(slugs, await prisma.restaurant.findMany({ where: { slug: { in: [...slugs] } } }), (row) => row.slug),
    ),
  };
}
