/**
 * Order arithmetic, in integer minor units only. Tax is rounded half up once per order
 * (not per line), the way receipts show it.
 */
export interface OrderLine {
  unitPriceAmount: number;
  quantity: number;
}

export interface OrderTotals {
  subtotalAmount: number;
  taxAmount: number;
  totalAmount: number;
}

/** Tax on `amount` at `taxRateBps` basis points (825 = 8.25 %), rounded half up. */
export function taxOn(amount: number, taxRateBps: number): number {
  return Math.floor((amount * taxRateBps + 5_000) / 10_000);
}

export function computeOrderTotals(lines: readonly OrderLine[], taxRateBps: number): OrderTotals {
  const subtotalAmount = lines.reduce((sum, line) => sum + line.unitPriceAmount * line.quantity, 0);
  const taxAmount = taxOn(subtotalAmount, taxRateBps);
  return { subtotalAmount, taxAmount, totalAmount: subtotalAmount + taxAmount };
}
