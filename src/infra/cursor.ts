import { ValidationError } from '../errors.js';

/** Opaque cursor of a row in a newest-first list: its creation time and id (the tie-breaker). */
export interface TimeCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(row: TimeCursor): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

const idPattern = /^[\w-]{1,64}$/;
const fourDigitYear = /^\d{4}-/;

export function decodeCursor(cursor: string, field = 'after'): TimeCursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    const date = new Date(String(createdAt));
    // Only what encodeCursor writes: a date that round-trips (no 30 February, no year PostgreSQL lacks), a plain id.
    if (
      typeof id !== 'string' ||
      !idPattern.test(id) ||
      Number.isNaN(date.getTime()) ||
      date.toISOString() !== createdAt ||
      !fourDigitYear.test(createdAt)
    ) {
      throw new Error('malformed');
    }
    return { createdAt: date, id };
  } catch {
    throw new ValidationError(field, `"${cursor.slice(0, 64)}" is not a cursor of this list.`);
  }
}

/** The Prisma condition "strictly after `cursor`" in (createdAt desc, id desc) order. */
export function afterCursor(cursor: TimeCursor) {
  return { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] };
}

/** Turns `first + 1` rows into a Relay page. Each edge's cursor is encoded only if it is read (selected). */
export function toPage<T extends TimeCursor>(rows: T[], first: number, totalCount: number) {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({
    node,
    get cursor() {
      return encodeCursor(node);
    },
  }));
  const last = nodes.at(-1);
  return { edges, totalCount, pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : null } };
}
