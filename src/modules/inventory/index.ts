export { applyStockMovements, crossedReorderThreshold, recipeUsage, type StockChange } from './stock.js';
