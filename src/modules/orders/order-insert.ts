import { v7 as uuidv7 } from 'uuid';
import type { RequestScope } from '../../auth/request-scope.js';
import type { Order } from '../../generated/prisma/client.js';
import type { Tx } from '../../infra/db.js';
import { type AuditEntry, auditRow, markWritten } from '../audit/audit.service.js';

export type NewOrder = Pick<
  Order,
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

/**
 * Inserts an order, its lines and its audit row in one statement and returns the order as stored,
 * without reading it back (every value is known here). `ON CONFLICT DO NOTHING` on the idempotency key:
 * a retry of a committed key (even a concurrent one) inserts nothing, and gets null. Hand-written with
 * Prisma's safe template because Prisma compiles a createMany afresh on every call (with its other work,
 * a third of an order's CPU), and one statement is one round trip while the stock rows are not yet locked.
 */
export async function insertOrder(
  tx: Tx,
  scope: RequestScope,
  values: { order: NewOrder; lines: readonly NewOrderLine[]; audit: (order: Order) => AuditEntry },
): Promise<Order | null> {
  const { lines } = values;
  // Timestamps from here, as Prisma writes them (UTC, milliseconds), so the answer equals the row.
  const now = new Date();
  const order: Order = {
    id: uuidv7(),
    status: 'PENDING',
    completedAt: null,
    cancelledAt: null,
    createdAt: now,
    updatedAt: now,
    ...values.order,
  };
  const audit = auditRow(scope, values.audit(order));
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  const inserted = await tx.$queryRaw<Array<{ id: string }>>`
    WITH inserted AS (
      INSERT INTO "Order" (id, "restaurantId", "idempotencyKey", currency, "customerName", "customerPhone", notes, "createdById",
                           "subtotalAmount", "taxAmount", "totalAmount", "createdAt", "updatedAt")
      VALUES (${order.id}, ${order.restaurantId}, ${order.idempotencyKey}, ${order.currency}, ${order.customerName}, ${order.customerPhone},
              ${order.notes}, ${order.createdById}, ${order.subtotalAmount}, ${order.taxAmount}, ${order.totalAmount}, ${now}, ${now})
      ON CONFLICT ("restaurantId", "idempotencyKey") DO NOTHING
      RETURNING id
    ),
    lines AS (
      INSERT INTO "OrderItem" (id, "orderId", position, "menuItemId", name, "unitPriceAmount", quantity, "lineTotalAmount", note, "createdAt")
      SELECT line.id, inserted.id, line.position - 1, line."menuItemId", line.name, line.price, line.quantity, line.price * line.quantity, line.note, ${now}
      FROM inserted, unnest(${lines.map(() => uuidv7())}::text[], ${lines.map((line) => line.menuItemId)}::text[],
                            ${lines.map((line) => line.name)}::text[], ${lines.map((line) => line.unitPriceAmount)}::int[],
                            ${lines.map((line) => line.quantity)}::int[], ${lines.map((line) => line.note)}::text[])
        WITH ORDINALITY AS line(id, "menuItemId", name, price, quantity, note, position)
    ),
    audited AS (
      INSERT INTO "AuditLog" (id, "restaurantId", "actorId", "actorApiKeyId", action, "entityType", "entityId", before, after, "requestId", ip, "createdAt")
      SELECT ${uuidv7()}, ${audit.restaurantId ?? null}, ${audit.actorId}, ${audit.actorApiKeyId}, ${audit.action}, ${audit.entityType},
             ${audit.entityId}, ${json(audit.before)}::jsonb, ${json(audit.after)}::jsonb, ${audit.requestId}, ${audit.ip}, ${now}
      FROM inserted
    )
    SELECT id FROM inserted`;
  if (inserted.length === 0) return null;
  markWritten(scope, audit);
  return order;
}
