import { z } from 'zod';
import type { RequestScope } from '../../auth/request-scope.js';
import type { UserAccessCache } from '../../auth/user-access-cache.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { Membership, Prisma, Restaurant } from '../../generated/prisma/client.js';
import type { Db, Tx } from '../../infra/db.js';
import { isUniqueViolation } from '../../infra/prisma-errors.js';
import { email, id, parseInput, text } from '../../validation/validate.js';
import { recordAudit } from '../audit/audit.service.js';

const timeZones = new Set(Intl.supportedValuesOf('timeZone').concat('UTC'));
const role = z.enum(['OWNER', 'MANAGER', 'STAFF']);
const hours = z.union([
  z.literal('closed'),
  z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'must be "HH:MM-HH:MM" or "closed"'),
]);

const updateInput = z.object({
  restaurantId: id,
  name: text({ min: 1, max: 100 }).nullish(),
  timezone: z
    .string()
    .refine((zone) => timeZones.has(zone), 'must be an IANA time zone such as "Europe/Paris"')
    .nullish(),
  taxRateBps: z.number().int().min(0, 'must be at least 0').max(10_000, 'must be at most 10000 (100 %)').nullish(),
  allowNegativeStock: z.boolean().nullish(),
  openingHours: z.partialRecord(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'mon_sun']), hours).nullish(),
});
const addMemberInput = z.object({ restaurantId: id, email, role });
const changeRoleInput = z.object({ restaurantId: id, userId: id, role });

const settingsOf = (restaurant: Restaurant) => restaurant.settings as { openingHours?: unknown } | null;

/**
 * Restaurant settings and membership. Owners change them; the last owner always stays. Every committed
 * membership change invalidates that user's cached permissions on every instance.
 */
export function createRestaurantsService(deps: { prisma: Db; userAccess: Pick<UserAccessCache, 'invalidate'> }) {
  const { prisma, userAccess } = deps;

  async function changedAccessOf<T extends { userId: string }>(membership: Promise<T>): Promise<T> {
    const committed = await membership;
    await userAccess.invalidate([committed.userId]);
    return committed;
  }

  /** Locks the restaurant's owner rows, so two owners cannot demote each other at once. */
  async function assertAnotherOwnerRemains(tx: Tx, restaurantId: string, userId: string) {
    const owners = await tx.$queryRaw<Array<{ userId: string }>>`
      SELECT "userId" FROM "Membership" WHERE "restaurantId" = ${restaurantId} AND role = 'OWNER' FOR UPDATE`;
    if (owners.every((owner) => owner.userId === userId)) {
      throw new ConflictError('A restaurant needs at least one owner: make someone else owner first.');
    }
  }

  return {
    async update(rawInput: unknown, scope: RequestScope): Promise<Restaurant> {
      const { restaurantId, openingHours, ...changes } = parseInput(updateInput, rawInput, 'input');
      return prisma.$transaction(async (tx) => {
        const before = await tx.restaurant.findUniqueOrThrow({ where: { id: restaurantId } });
        const data: Prisma.RestaurantUpdateInput = Object.fromEntries(Object.entries(changes).filter(([, value]) => value != null));
        if (openingHours) data.settings = { ...(settingsOf(before) ?? {}), openingHours };
        const after = await tx.restaurant.update({ where: { id: restaurantId }, data });
        const snapshot = (restaurant: Restaurant) => ({
          name: restaurant.name,
          timezone: restaurant.timezone,
          taxRateBps: restaurant.taxRateBps,
          allowNegativeStock: restaurant.allowNegativeStock,
          settings: restaurant.settings as Prisma.InputJsonValue,
        });
        await recordAudit(tx, scope, {
          action: 'restaurant.update',
          entityType: 'Restaurant',
          entityId: restaurantId,
          restaurantId,
          before: snapshot(before),
          after: snapshot(after),
        });
        return after;
      });
    },

    async addMember(rawInput: unknown, scope: RequestScope): Promise<Membership> {
      const input = parseInput(addMemberInput, rawInput, 'input');
      try {
        return await changedAccessOf(
          prisma.$transaction(async (tx) => {
            const user = await tx.user.findUnique({ where: { email: input.email } });
            if (!user) throw new ValidationError('input.email', `No Servio account has the email "${input.email}".`);
            const membership = await tx.membership.create({
              data: { restaurantId: input.restaurantId, userId: user.id, role: input.role },
            });
            await recordAudit(tx, scope, {
              action: 'member.add',
              entityType: 'Membership',
              entityId: membership.id,
              restaurantId: input.restaurantId,
              after: { userId: user.id, role: input.role },
            });
            return membership;
          }),
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`"${input.email}" is already a member of this restaurant.`);
        throw error;
      }
    },

    async changeRole(rawInput: unknown, scope: RequestScope): Promise<Membership> {
      const input = parseInput(changeRoleInput, rawInput, 'input');
      return changedAccessOf(
        prisma.$transaction(async (tx) => {
          const current = await tx.membership.findUnique({
            where: { userId_restaurantId: { userId: input.userId, restaurantId: input.restaurantId } },
          });
          if (!current) throw new NotFoundError('Member', input.userId);
          if (current.role === 'OWNER' && input.role !== 'OWNER') await assertAnotherOwnerRemains(tx, input.restaurantId, input.userId);
          const updated = await tx.membership.update({ where: { id: current.id }, data: { role: input.role } });
          await recordAudit(tx, scope, {
            action: 'member.role',
            entityType: 'Membership',
            entityId: current.id,
            restaurantId: input.restaurantId,
            before: { role: current.role },
            after: { role: updated.role },
          });
          return updated;
        }),
      );
    },

    async removeMember(restaurantId: string, userId: string, scope: RequestScope): Promise<boolean> {
      await prisma.$transaction(async (tx) => {
        const current = await tx.membership.findUnique({ where: { userId_restaurantId: { userId, restaurantId } } });
        if (!current) throw new NotFoundError('Member', userId);
        if (current.role === 'OWNER') await assertAnotherOwnerRemains(tx, restaurantId, userId);
        await tx.membership.delete({ where: { id: current.id } });
        await recordAudit(tx, scope, {
          action: 'member.remove',
          entityType: 'Membership',
          entityId: current.id,
          restaurantId,
          before: { userId, role: current.role },
        });
      });
      await userAccess.invalidate([userId]);
      return true;
    },
  };
}

export type RestaurantsService = ReturnType<typeof createRestaurantsService>;
export { settingsOf };
