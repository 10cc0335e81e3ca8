import { ValidationError } from '../../errors.js';

/** Opaque cursor of an order in the newest-first list: its creation time and id. */
export interface OrderCursor {
  createdAt: Date;
  id: string;
}

export function encodeOrderCursor(order: OrderCursor): string {
  return Buffer.from(JSON.stringify([order.createdAt.toISOString(), order.id])).toString('base64url');
}

export function decodeOrderCursor(cursor: string, field = 'after'): OrderCursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('malformed');
    return { createdAt: date, id };
  } catch {
    throw new ValidationError(field, `"${cursor.slice(0, 64)}" is not a cursor of this list.`);
  }
}
