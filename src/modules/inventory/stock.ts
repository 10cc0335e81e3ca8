import { v7 as uuidv7 } from 'uuid';
import type { RequestScope } from '../../auth/request-scope.js';
import { ConflictError } from '../../errors.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from '../../infra/db.js';

type Decimal = Prisma.Decimal;

export interface StockMovement {
  inventoryItemId: string;
  /** Positive: stock comes back; negative: stock goes out. */
  delta: Decimal;
}

export interface StockChange {
  inventoryItemId: string;
  before: Decimal;
  after: Decimal;
  reorderThreshold: Decimal;
}

/** True once, when a change takes an item from above its reorder threshold to at or below it. */
export function crossedReorderThreshold(change: StockChange): boolean {
  return change.before.greaterThan(change.reorderThreshold) && change.after.lessThanOrEqualTo(change.reorderThreshold);
}

/**
 * Applies stock movements inside the caller's transaction in one statement, whatever their number: a
 * conditional UPDATE (`quantity + delta >= 0` checked in the statement itself, so concurrent orders can
 * never take stock below zero unless the restaurant allows it) whose moved rows are recorded as
 * adjustments by the same statement. Rows are locked in id order, so two transactions never wait on each
 * other's rows in opposite orders; callers run this last, so the locks are held only until COMMIT.
 * Hand-written (with Prisma's safe template): Prisma compiles a createMany afresh on every call.
 */
export async function applyStockMovements(
  tx: Tx,
  scope: RequestScope,
  options: {
    restaurantId: string;
    movements: readonly StockMovement[];
    reason: 'ORDER' | 'ORDER_CANCELLED';
    orderId: string;
    allowNegative: boolean;
  },
): Promise<StockChange[]> {
  const movements = netMovements(options.movements);
  if (movements.length === 0) return [];
  const ids = movements.map((movement) => movement.inventoryItemId);
  const deltas = movements.map((movement) => movement.delta.toString());
  const adjustmentIds = movements.map(() => uuidv7());
  const actorId = scope.viewer.kind === 'user' ? scope.viewer.userId : null;
  const moved = await tx.$queryRaw<MovedRow[]>`
    WITH wanted AS (SELECT * FROM unnest(${ids}::text[], ${deltas}::numeric[], ${adjustmentIds}::text[]) AS wanted(id, delta, "adjustmentId")),
    locked AS (
      SELECT item.id FROM "InventoryItem" item JOIN wanted ON wanted.id = item.id
      WHERE item."restaurantId" = ${options.restaurantId}
      ORDER BY item.id FOR UPDATE OF item
    ),
    moved AS (
      UPDATE "InventoryItem" item SET quantity = item.quantity + wanted.delta, "updatedAt" = now()
      FROM wanted, locked
      WHERE item.id = wanted.id AND locked.id = item.id AND (${options.allowNegative} OR item.quantity + wanted.delta >= 0)
      RETURNING item.id, item.quantity, item."reorderThreshold", wanted.delta, wanted."adjustmentId"
    ),
    recorded AS (
      INSERT INTO "InventoryAdjustment" (id, "restaurantId", "inventoryItemId", delta, "quantityAfter", reason, "orderId", "actorId", "createdAt")
      SELECT "adjustmentId", ${options.restaurantId}, id, delta, quantity, ${options.reason}::"InventoryAdjustmentReason", ${options.orderId}, ${actorId}, ${new Date()}
      FROM moved
    )
    SELECT id, quantity::text AS quantity, "reorderThreshold"::text AS "reorderThreshold" FROM moved`;
  // Some row lacked stock: the adjustments recorded for the others roll back with the caller's transaction.
  if (moved.length < movements.length) await throwShortage(tx, movements, new Set(moved.map((row) => row.id)));
  const byId = new Map(moved.map((row) => [row.id, row]));
  const changes = movements.map(({ inventoryItemId, delta }) => {
    const row = byId.get(inventoryItemId) as MovedRow;
    const after = new Prisma.Decimal(row.quantity);
    return { inventoryItemId, delta, before: after.minus(delta), after, reorderThreshold: new Prisma.Decimal(row.reorderThreshold) };
  });
  return changes.map(({ delta: _delta, ...change }) => change);
}

/** One movement per item (summed), none of zero. */
function netMovements(movements: readonly StockMovement[]): StockMovement[] {
  const totals = new Map<string, Decimal>();
  for (const { inventoryItemId, delta } of movements)
    totals.set(inventoryItemId, (totals.get(inventoryItemId) ?? new Prisma.Decimal(0)).plus(delta));
  return [...totals].filter(([, delta]) => !delta.isZero()).map(([inventoryItemId, delta]) => ({ inventoryItemId, delta }));
}

interface MovedRow {
  id: string;
  quantity: string;
  reorderThreshold: string;
}

/** Names the first item (in id order) that lacked stock; the caller's transaction rolls back. */
async function throwShortage(tx: Tx, movements: readonly StockMovement[], moved: ReadonlySet<string>): Promise<never> {
  const short = movements
    .filter((movement) => !moved.has(movement.inventoryItemId))
    .sort((a, b) => a.inventoryItemId.localeCompare(b.inventoryItemId));
  const [{ inventoryItemId, delta }] = short as [StockMovement];
  const item = await tx.inventoryItem.findUniqueOrThrow({ where: { id: inventoryItemId } });
  throw new ConflictError(
    `Not enough "${item.name}" in stock: ${item.quantity.toString()} ${item.unit} left, ${delta.negated().toString()} needed.`,
    { inventoryItemId, available: item.quantity.toString(), needed: delta.negated().toString() },
  );
}

/** Stock the recipes of `lines` use: recipe quantity × portions, summed per inventory item. */
export function recipeUsage(
  lines: ReadonlyArray<{ quantity: number; ingredients: ReadonlyArray<{ inventoryItemId: string; quantity: Decimal }> }>,
): StockMovement[] {
  const totals = new Map<string, Decimal>();
  for (const line of lines) {
    for (const ingredient of line.ingredients) {
      const used = ingredient.quantity.times(line.quantity);
      totals.set(ingredient.inventoryItemId, (totals.get(ingredient.inventoryItemId) ?? new Prisma.Decimal(0)).plus(used));
    }
  }
  return [...totals].map(([inventoryItemId, used]) => ({ inventoryItemId, delta: used.negated() }));
}
