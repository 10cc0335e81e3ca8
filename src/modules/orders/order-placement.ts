import { v7 as uuidv7 } from 'uuid';
import type { RequestScope } from '../../auth/request-scope.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Db } from '../../infra/db.js';
import { type AuditEntry, auditRow, markWritten } from '../audit/audit.service.js';
import { type StockChange, type StockMovement, type StockOutcome, stockMove, stockOutcome } from '../inventory/index.js';
import type { OrderLineModel, OrderModel } from './order-model.js';

export type NewOrder = Pick<
  OrderModel,
  | 'restaurantId'
  | 'idempotencyKey'
  | 'currency'
  | 'customerName'
  | 'customerPhone'
  | 'notes'
  | 'createdById'
  | 'subtotalAmount'
  | 'taxAmount'
  | 'totalAmount'
>;

export interface NewOrderLine {
  menuItemId: string;
  name: string;
  unitPriceAmount: number;
  quantity: number;
  note: string | null;
}

export type Placement =
  /** Written: the order as stored, with its lines, and the stock it took. */
  | { placed: true; order: OrderModel; stock: StockChange[] }
  /**
   * Nothing written: the idempotency key was used by an order that committed first, or (with `shortOfStock`,
   * which throws the CONFLICT naming the item) some stock row lacked what the order needs.
   */
  | { placed: false; shortOfStock: (() => Promise<never>) | null };

/**
 * Places an order in one statement, so no transaction is held open across round trips: the stock rows its
 * recipes use are locked (in id order) and checked first; then, only if every row has enough, the order
 * (`ON CONFLICT DO NOTHING` on its idempotency key), its lines and audit row are inserted and, only if the
 * order was, the stock is taken and recorded as adjustments. The statement is atomic, and the stock locks
 * last only as long as it runs. A shortage is a CONFLICT naming the item, with nothing written; nothing is
 * read back (every value is known here). Hand-written with Prisma's safe template: Prisma compiles a
 * createMany afresh on every call (with its other work, a third of an order's CPU).
 */
export async function placeOrder(
  db: Db,
  scope: RequestScope,
  values: {
    order: NewOrder;
    lines: readonly NewOrderLine[];
    audit: (order: OrderModel) => AuditEntry;
    stock: { movements: readonly StockMovement[]; allowNegative: boolean };
  },
): Promise<Placement> {
  // Timestamps from here, as Prisma writes them (UTC, milliseconds), so the answer equals the row.
  const now = new Date();
  const orderId = uuidv7();
  const items: OrderLineModel[] = values.lines.map((line, position) => ({
    id: uuidv7(),
    orderId,
    position,
    ...line,
    lineTotalAmount: line.unitPriceAmount * line.quantity,
    createdAt: now,
    currency: values.order.currency,
  }));
  const order: OrderModel = {
    id: orderId,
    status: 'PENDING',
    completedAt: null,
    cancelledAt: null,
    createdAt: now,
    updatedAt: now,
    ...values.order,
    items,
  };
  const audit = auditRow(scope, values.audit(order));
  const move = stockMove(scope, { restaurantId: order.restaurantId, reason: 'ORDER', orderId, ...values.stock });
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  const column = <K extends keyof OrderLineModel>(key: K) => items.map((item) => item[key]);
  const [outcome] = await db.$queryRaw<Array<StockOutcome & { placed: boolean }>>`
    WITH ${move.checked},
    inserted AS (
      INSERT INTO "Order" (id, "restaurantId", "idempotencyKey", currency, "customerName", "customerPhone", notes, "createdById",
                           "subtotalAmount", "taxAmount", "totalAmount", "createdAt", "updatedAt")
      SELECT ${order.id}, ${order.restaurantId}, ${order.idempotencyKey}, ${order.currency}, ${order.customerName}, ${order.customerPhone},
             ${order.notes}, ${order.createdById}, ${order.subtotalAmount}, ${order.taxAmount}, ${order.totalAmount}, ${now}, ${now}
      FROM checked WHERE checked.ok
      ON CONFLICT ("restaurantId", "idempotencyKey") DO NOTHING
      RETURNING id
    ),
    lines AS (
      INSERT INTO "OrderItem" (id, "orderId", position, "menuItemId", name, "unitPriceAmount", quantity, "lineTotalAmount", note, "createdAt")
      SELECT line.id, inserted.id, line.position, line."menuItemId", line.name, line.price, line.quantity, line.total, line.note, ${now}
      FROM inserted, unnest(${column('id')}::text[], ${column('position')}::int[], ${column('menuItemId')}::text[], ${column('name')}::text[],
                            ${column('unitPriceAmount')}::int[], ${column('quantity')}::int[], ${column('lineTotalAmount')}::int[],
                            ${column('note')}::text[])
        AS line(id, position, "menuItemId", name, price, quantity, total, note)
    ),
    audited AS (
      INSERT INTO "AuditLog" (id, "restaurantId", "actorId", "actorApiKeyId", action, "entityType", "entityId", before, after, "requestId", ip, "createdAt")
      SELECT ${uuidv7()}, ${audit.restaurantId ?? null}, ${audit.actorId}, ${audit.actorApiKeyId}, ${audit.action}, ${audit.entityType},
             ${audit.entityId}, ${json(audit.before)}::jsonb, ${json(audit.after)}::jsonb, ${audit.requestId}, ${audit.ip}, ${now}
      FROM inserted
    ),
    ${move.moved(Prisma.sql`EXISTS (SELECT 1 FROM inserted)`)}
    SELECT EXISTS (SELECT 1 FROM inserted) AS placed, ${move.outcome}`;
  const { placed, ...stock } = outcome as StockOutcome & { placed: boolean };
  // Short of stock, the caller still checks first whether this retries an order placed before it ran out.
  if (!placed) return { placed: false, shortOfStock: stock.enoughStock ? null : () => stockOutcome(db, move, stock) as Promise<never> };
  markWritten(scope, audit);
  return { placed: true, order, stock: await stockOutcome(db, move, stock) };
}
