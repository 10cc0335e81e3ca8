import { actorIdOf, type RequestScope } from '../../auth/request-scope.js';
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

/** The audit row of `entry` (whoever writes it also calls `markWritten`). */
export function auditRow(scope: RequestScope, entry: AuditEntry) {
  const { viewer } = scope;
  return {
    ...entry,
    actorId: actorIdOf(scope),
    actorApiKeyId: viewer.kind === 'apiKey' ? viewer.apiKeyId : null,
    requestId: scope.requestId,
    ip: scope.ip,
  };
}

export type AuditRow = ReturnType<typeof auditRow>;

/** Writes the audit row inside the caller's transaction: the change and its record commit together. */
export async function recordAudit(tx: Tx, scope: RequestScope, entry: AuditEntry): Promise<void> {
  markWritten(scope, entry);
  await tx.auditLog.create({ data: auditRow(scope, entry) });
}

/** The entry's restaurant (or every one, for null) changed: its cached answers go stale once the request ends. */
export function markWritten(scope: RequestScope, entry: AuditEntry): void {
  scope.writes?.add(entry.restaurantId ?? null);
}
