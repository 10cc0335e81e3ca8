import { v7 as uuidv7 } from 'uuid';
import { actorIdOf, type RequestScope } from '../../auth/request-scope.js';
import { ConflictError } from '../../errors.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Db, Tx } from '../../infra/db.js';

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

export interface StockMoveOptions {
  restaurantId: string;
  movements: readonly StockMovement[];
  reason: 'ORDER' | 'ORDER_CANCELLED';
  orderId: string;
  allowNegative: boolean;
}

/**
 * The parts of one statement that move stock, whatever the number of movements, for a caller to place
 * around its own: `checked` opens the statement (`wanted`, the netted movements; `locked`, their rows
 * locked in id order, so two statements never wait on each other's rows in opposite orders, each with
 * whether it has the stock asked of it; `checked`, one row whose `ok` says every row exists and has
 * enough), `moved(gate)` updates the rows and records the adjustments when `ok` and the caller's `gate`
 * hold, and `outcome` selects what `stockOutcome` reads. The check and the move see the same locked rows,
 * so concurrent statements can never take stock below zero unless the restaurant allows it.
 * Hand-written (with Prisma's safe template): Prisma compiles a createMany afresh on every call.
 */
export function stockMove(scope: RequestScope, options: StockMoveOptions) {
  const movements = netMovements(options.movements);
  const ids = movements.map((movement) => movement.inventoryItemId);
  const deltas = movements.map((movement) => movement.delta.toString());
  const adjustmentIds = movements.map(() => uuidv7());
  const actorId = actorIdOf(scope);
  const { restaurantId } = options;
  return {
    movements,
    checked: Prisma.sql`
      wanted AS (SELECT * FROM unnest(${ids}::text[], ${deltas}::numeric[], ${adjustmentIds}::text[]) AS wanted(id, delta, "adjustmentId")),
      locked AS (
        SELECT item.id, (${options.allowNegative} OR item.quantity + wanted.delta >= 0) AS enough
        FROM "InventoryItem" item JOIN wanted ON wanted.id = item.id
        WHERE item."restaurantId" = ${restaurantId}
        ORDER BY item.id FOR UPDATE OF item
      ),
      checked AS (
        SELECT count(*) FILTER (WHERE enough) = ${movements.length} AS ok, COALESCE(array_agg(id) FILTER (WHERE enough), '{}') AS sufficient
        FROM locked
      )`,
    moved: (gate: Prisma.Sql) => Prisma.sql`
      moved AS (
        UPDATE "InventoryItem" item SET quantity = item.quantity + wanted.delta, "updatedAt" = now()
        FROM wanted
        WHERE item.id = wanted.id AND item."restaurantId" = ${restaurantId} AND (SELECT ok FROM checked) AND ${gate}
        RETURNING item.id, item.quantity, item."reorderThreshold", wanted.delta, wanted."adjustmentId"
      ),
      recorded AS (
        INSERT INTO "InventoryAdjustment" (id, "restaurantId", "inventoryItemId", delta, "quantityAfter", reason, "orderId", "actorId", "createdAt")
        SELECT "adjustmentId", ${restaurantId}, id, delta, quantity, ${options.reason}::"InventoryAdjustmentReason", ${options.orderId}, ${actorId}, ${new Date()}
        FROM moved
      )`,
    outcome: Prisma.sql`
      (SELECT ok FROM checked) AS "enoughStock", (SELECT sufficient FROM checked) AS sufficient,
      COALESCE((SELECT json_agg(json_build_object('id', id, 'quantity', quantity::text, 'reorderThreshold', "reorderThreshold"::text)) FROM moved), '[]') AS moved`,
  };
}

export type StockMove = ReturnType<typeof stockMove>;

/** What a statement built with `stockMove` selected through its `outcome`. */
export interface StockOutcome {
  enoughStock: boolean;
  sufficient: string[];
  moved: Array<{ id: string; quantity: string; reorderThreshold: string }>;
}

/** The changes a statement made, or, when some row lacked stock (so nothing moved), a CONFLICT naming it. */
export async function stockOutcome(db: Tx | Db, move: StockMove, outcome: StockOutcome): Promise<StockChange[]> {
  if (!outcome.enoughStock) await throwShortage(db, move.movements, new Set(outcome.sufficient));
  const byId = new Map(outcome.moved.map((row) => [row.id, row]));
  return move.movements.flatMap(({ inventoryItemId, delta }) => {
    const row = byId.get(inventoryItemId);
    if (!row) return [];
    const after = new Prisma.Decimal(row.quantity);
    return [{ inventoryItemId, before: after.minus(delta), after, reorderThreshold: new Prisma.Decimal(row.reorderThreshold) }];
  });
}

/** Applies stock movements inside the caller's transaction, in one statement (see `stockMove`). */
export async function applyStockMovements(tx: Tx, scope: RequestScope, options: StockMoveOptions): Promise<StockChange[]> {
  const move = stockMove(scope, options);
  if (move.movements.length === 0) return [];
  const [outcome] = await tx.$queryRaw<StockOutcome[]>`WITH ${move.checked}, ${move.moved(Prisma.sql`TRUE`)} SELECT ${move.outcome}`;
  return stockOutcome(tx, move, outcome as StockOutcome);
}

/** One movement per item (summed), none of zero. */
function netMovements(movements: readonly StockMovement[]): StockMovement[] {
  const totals = new Map<string, Decimal>();
  for (const { inventoryItemId, delta } of movements)
    totals.set(inventoryItemId, (totals.get(inventoryItemId) ?? new Prisma.Decimal(0)).plus(delta));
  return [...totals].filter(([, delta]) => !delta.isZero()).map(([inventoryItemId, delta]) => ({ inventoryItemId, delta }));
}

/** Names the first item (in id order) that lacked stock. */
async function throwShortage(db: Tx | Db, movements: readonly StockMovement[], sufficient: ReadonlySet<string>): Promise<never> {
  const short = movements
    .filter((movement) => !sufficient.has(movement.inventoryItemId))
    .sort((a, b) => a.inventoryItemId.localeCompare(b.inventoryItemId));
  const [{ inventoryItemId, delta }] = short as [StockMovement];
  const item = await db.inventoryItem.findUnique({ where: { id: inventoryItemId } });
  // Deleted after the caller read what to move (a recipe changed meanwhile): nothing moved either.
  if (!item)
    throw new ConflictError(`Stock item "${inventoryItemId}" was deleted meanwhile: read it again, then retry.`, { inventoryItemId });
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
