import { defineModule } from '../module.js';
import { createInventoryLoaders } from './inventory.loaders.js';
import { inventoryResolvers } from './inventory.resolvers.js';
import { createInventoryService } from './inventory.service.js';

export { positiveDecimal } from './decimal.js';
export {
  applyStockMovements,
  crossedReorderThreshold,
  recipeUsage,
  type StockChange,
  type StockMovement,
  type StockOutcome,
  stockMove,
  stockOutcome,
} from './stock.js';

export const inventoryModule = defineModule({
  name: 'inventory',
  resolvers: [inventoryResolvers],
  createServices: ({ prisma, events }) => ({ inventory: createInventoryService({ prisma, events }) }),
  createLoaders: createInventoryLoaders,
  restaurantRows: ['InventoryAdjustment'],
  owners: { InventoryItem: 'inventoryItemById' },
  createMutationMetrics: (metrics) => ({
    adjustInventory: (adjustment) => metrics.increment('inventory.adjustments', 1, { reason: String(adjustment.reason) }),
  }),
});
