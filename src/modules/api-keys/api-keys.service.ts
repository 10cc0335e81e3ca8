import { z } from 'zod';
import { actorIdOf, type RequestScope } from '../../auth/request-scope.js';
import { digestSecret, generateSecret } from '../../auth/secrets.js';
import type { Viewer } from '../../auth/viewer.js';
import { NotFoundError, UnauthenticatedError } from '../../errors.js';
import type { ApiKey } from '../../generated/prisma/client.js';
import type { Db } from '../../infra/db.js';
import { id, parseInput, text } from '../../validation/validate.js';
import { recordAudit } from '../audit/audit.service.js';
import { type ApiKeyScopeName, apiKeyScopes } from './api-key-scopes.js';

const createApiKeyInput = z.object({
  restaurantId: id,
  partnerName: text({ min: 1, max: 100 }),
  scopes: z
    .array(z.enum(Object.keys(apiKeyScopes) as [ApiKeyScopeName, ...ApiKeyScopeName[]]))
    .min(1, 'must name at least one scope')
    .transform((names) => [...new Set(names)].map((name) => apiKeyScopes[name])),
  expiresAt: z
    .date()
    .refine((date) => date > new Date(), 'must be in the future')
    .nullish(),
});

export interface CreatedApiKey {
  apiKey: ApiKey;
  secret: string;
}

// lastUsedAt is bookkeeping, not an audit trail: write it at most once a minute per key.
const touchIntervalMs = 60_000;

/** Partner API keys: shown once at creation, stored as a digest, scoped to one restaurant. */
export function createApiKeysService(deps: { prisma: Db; onTouchError: (error: unknown) => void }) {
  const { prisma } = deps;
  return {
    async create(input: unknown, scope: RequestScope): Promise<CreatedApiKey> {
      const data = parseInput(createApiKeyInput, input, 'input');
      const secret = generateSecret('sk');
      const apiKey = await prisma.$transaction(async (tx) => {
        // Members were checked by @auth; only a platform admin gets here for a restaurant that does not exist.
        if (!(await tx.restaurant.findUnique({ where: { id: data.restaurantId }, select: { id: true } }))) {
          throw new NotFoundError('Restaurant', data.restaurantId);
        }
        const created = await tx.apiKey.create({
          data: {
            restaurantId: data.restaurantId,
            partnerName: data.partnerName,
            scopes: data.scopes,
            expiresAt: data.expiresAt ?? null,
            keyHash: digestSecret(secret),
            prefix: secret.slice(0, 11),
            createdById: actorIdOf(scope),
          },
        });
        await recordAudit(tx, scope, {
          action: 'apiKey.create',
          entityType: 'ApiKey',
          entityId: created.id,
          restaurantId: created.restaurantId,
          after: { partnerName: created.partnerName, scopes: created.scopes, prefix: created.prefix },
        });
        return created;
      });
      return { apiKey, secret };
    },

    async revoke(apiKeyId: string, scope: RequestScope): Promise<ApiKey> {
      return prisma.$transaction(async (tx) => {
        const current = await tx.apiKey.findUnique({ where: { id: apiKeyId } });
        if (!current) throw new NotFoundError('ApiKey', apiKeyId);
        if (current.revokedAt) return current;
        const revoked = await tx.apiKey.update({ where: { id: apiKeyId }, data: { revokedAt: new Date() } });
        await recordAudit(tx, scope, {
          action: 'apiKey.revoke',
          entityType: 'ApiKey',
          entityId: apiKeyId,
          restaurantId: current.restaurantId,
          before: { revokedAt: null },
          after: { revokedAt: revoked.revokedAt?.toISOString() ?? null },
        });
        return revoked;
      });
    },

    listForRestaurant(restaurantId: string): Promise<ApiKey[]> {
      return prisma.apiKey.findMany({ where: { restaurantId }, orderBy: { createdAt: 'desc' } });
    },

    /** The viewer an `x-api-key` header stands for; UNAUTHENTICATED when unknown, revoked or expired. */
    async authenticate(secret: string): Promise<Viewer> {
      const key = await prisma.apiKey.findUnique({ where: { keyHash: digestSecret(secret) } });
      const now = new Date();
      if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) {
        throw new UnauthenticatedError('The API key is invalid, revoked or expired.');
      }
      if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > touchIntervalMs) {
        prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } }).catch(deps.onTouchError);
      }
      return { kind: 'apiKey', apiKeyId: key.id, restaurantId: key.restaurantId, scopes: key.scopes };
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
