import DataLoader from 'dataloader';
import type { InventoryAdjustment } from '../../generated/prisma/client.js';
import { oneByKey } from '../../infra/batch.js';
import type { Db } from '../../infra/db.js';

/** The newest `first` adjustments of one inventory item. */
export interface AdjustmentPageKey {
  inventoryItemId: string;
  first: number;
}

export function createInventoryLoaders(prisma: Db) {
  return {
    inventoryItemById: new DataLoader(async (ids: readonly string[]) =>
      oneByKey(ids, await prisma.inventoryItem.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    ),
    /**
     * Newest first. One LATERAL query per distinct page size takes the first rows of each item
     * from the (inventoryItemId, createdAt) index, so long histories are never read whole; a
     * second statement loads those rows as typed models.
     */
    adjustmentsByInventoryItemId: new DataLoader<AdjustmentPageKey, InventoryAdjustment[], string>(
      async (keys) => {
        const pages = new Map<string, InventoryAdjustment[]>();
        for (const first of new Set(keys.map((key) => key.first))) {
          const itemIds = keys.filter((key) => key.first === first).map((key) => key.inventoryItemId);
          const newest = await prisma.$queryRaw<Array<{ id: string }>>`
            SELECT page.id FROM unnest(${itemIds}::text[]) AS item(id)
            CROSS JOIN LATERAL (
              SELECT a.id FROM "InventoryAdjustment" a
              WHERE a."inventoryItemId" = item.id
              ORDER BY a."createdAt" DESC, a.id DESC
              LIMIT ${first}
            ) page`;
          const rows = await prisma.inventoryAdjustment.findMany({
            where: { id: { in: newest.map((row) => row.id) } },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          });
          for (const itemId of itemIds) pages.set(`${itemId}:${first}`, []);
          for (const row of rows) pages.get(`${row.inventoryItemId}:${first}`)?.push(row);
        }
        return keys.map((key) => pages.get(`${key.inventoryItemId}:${key.first}`) ?? []);
      },
      { cacheKeyFn: (key) => `${key.inventoryItemId}:${key.first}` },
    ),
  };
}
