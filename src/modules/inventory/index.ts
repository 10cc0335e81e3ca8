export { decimal, maxQuantity, nonNegativeDecimal, positiveDecimal } from './decimal.js';
export { applyStockMovements, crossedReorderThreshold, recipeUsage, type StockChange } from './stock.js';
