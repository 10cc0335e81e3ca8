import DataLoader from 'dataloader';
import { manyByKey, oneByKey } from '../../infra/batch.js';
import type { Db } from '../../infra/db.js';

const menuOrder = [{ sortOrder: 'asc' as const }, { name: 'asc' as const }];

export function createMenuLoaders(prisma: Db) {
  return {
    menuCategoryById: new DataLoader(async (ids: readonly string[]) =>
      oneByKey(ids, await prisma.menuCategory.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    ),
    menuItemById: new DataLoader(async (ids: readonly string[]) =>
      oneByKey(ids, await prisma.menuItem.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    ),
    categoriesByRestaurantId: new DataLoader(async (restaurantIds: readonly string[]) =>
      manyByKey(
        restaurantIds,
        await prisma.menuCategory.findMany({ where: { restaurantId: { in: [...restaurantIds] } }, orderBy: menuOrder }),
        (row) => row.restaurantId,
      ),
    ),
    availableItemsByCategoryId: new DataLoader(async (categoryIds: readonly string[]) =>
      manyByKey(
        categoryIds,
        await prisma.menuItem.findMany({ where: { categoryId: { in: [...categoryIds] }, available: true }, orderBy: menuOrder }),
        (row) => row.categoryId,
      ),
    ),
    allItemsByCategoryId: new DataLoader(async (categoryIds: readonly string[]) =>
      manyByKey(
        categoryIds,
        await prisma.menuItem.findMany({ where: { categoryId: { in: [...categoryIds] } }, orderBy: menuOrder }),
        (row) => row.categoryId,
      ),
    ),
  };
}
