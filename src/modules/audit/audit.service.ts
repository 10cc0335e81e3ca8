import type { RequestScope } from '../../auth/request-scope.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from '../../infra/db.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  restaurantId?: string | null;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
}

/** Writes the audit row inside the caller's transaction: the change and its record commit together. */
export async function recordAudit(tx: Tx, scope: RequestScope, entry: AuditEntry): Promise<void> {
  const { viewer } = scope;
  scope.writes?.add(entry.restaurantId ?? null);
  await tx.auditLog.create({
    data: {
      ...entry,
      actorId: viewer.kind === 'user' ? viewer.userId : null,
      actorApiKeyId: viewer.kind === 'apiKey' ? viewer.apiKeyId : null,
      requestId: scope.requestId,
      ip: scope.ip,
    },
  });
}
