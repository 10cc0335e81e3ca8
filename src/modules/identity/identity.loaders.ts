import DataLoader from 'dataloader';
import type { MembershipRole, UserAccess } from '../../auth/access.js';
import { manyByKey, oneByKey } from '../../infra/batch.js';
import type { Db } from '../../infra/db.js';

/** Admin flag and roles of each user id, in key order (null: no such user). */
export async function findUserAccess(prisma: Db, ids: readonly string[]): Promise<Array<UserAccess | null>> {
  const users = await prisma.user.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true, isAdmin: true, memberships: { select: { restaurantId: true, role: true } } },
  });
  return oneByKey(ids, users, (user) => user.id).map((user) =>
    user
      ? {
          isAdmin: user.isAdmin,
          roles: new Map(user.memberships.map((membership) => [membership.restaurantId, membership.role as MembershipRole])),
        }
      : null,
  );
}

export function createIdentityLoaders(prisma: Db) {
  return {
    userById: new DataLoader(async (ids: readonly string[]) =>
      oneByKey(ids, await prisma.user.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    ),
    membershipsByUserId: new DataLoader(async (userIds: readonly string[]) =>
      manyByKey(
        userIds,
        await prisma.membership.findMany({ where: { userId: { in: [...userIds] } }, orderBy: { createdAt: 'asc' } }),
        (row) => row.userId,
      ),
    ),
    /** The user's admin flag and roles from the database (the permission cache's source on a miss). */
    userAccessById: new DataLoader((ids: readonly string[]) => findUserAccess(prisma, ids)),
  };
}
