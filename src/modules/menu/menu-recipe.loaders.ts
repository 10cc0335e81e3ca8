import DataLoader from 'dataloader';
import { manyByKey } from '../../infra/batch.js';
import type { Db } from '../../infra/db.js';

export function createMenuRecipeLoaders(prisma: Db) {
  return {
    /** Each menu item's recipe lines, by ingredient name. */
    ingredientsByMenuItemId: new DataLoader(async (menuItemIds: readonly string[]) =>
      manyByKey(
        menuItemIds,
        await prisma.menuItemIngredient.findMany({
          where: { menuItemId: { in: [...menuItemIds] } },
          orderBy: [{ inventoryItem: { name: 'asc' } }, { id: 'asc' }],
        }),
        (row) => row.menuItemId,
      ),
    ),
  };
}
