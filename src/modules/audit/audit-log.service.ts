import { z } from 'zod';
import type { AuditLog } from '../../generated/prisma/client.js';
import { afterCursor, decodeCursor, toPage } from '../../infra/cursor.js';
import type { Db } from '../../infra/db.js';
import { parseInput } from '../../validation/validate.js';

const filtersInput = z.object({
  entityType: z.string().max(64).nullish(),
  entityId: z.string().max(64).nullish(),
  actorId: z.string().max(64).nullish(),
  action: z.string().max(64).nullish(),
  from: z.date().nullish(),
  to: z.date().nullish(),
  first: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'),
  after: z.string().max(200).nullish(),
});

export type AuditLogFilters = z.input<typeof filtersInput>;

/** Reading the audit trail; writing it is `recordAudit`, inside each change's transaction. */
export function createAuditLogService(deps: { prisma: Db }) {
  return {
    async list(restaurantId: string, rawFilters: AuditLogFilters) {
      const { first, after, from, to, ...exact } = parseInput(filtersInput, rawFilters, 'args');
      const where = {
        restaurantId,
        ...Object.fromEntries(Object.entries(exact).filter(([, value]) => value != null)),
        ...(from || to ? { createdAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
      };
      const cursor = after ? decodeCursor(after) : null;
      const [rows, totalCount] = await Promise.all([
        deps.prisma.auditLog.findMany({
          where: cursor ? { AND: [where, afterCursor(cursor)] } : where,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: first + 1,
        }),
        deps.prisma.auditLog.count({ where }),
      ]);
      return toPage<AuditLog>(rows, first, totalCount);
    },
  };
}
