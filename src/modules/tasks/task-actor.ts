import type { Access, MembershipRole } from '../../auth/access.js';
import type { RequestScope } from '../../auth/request-scope.js';
import { AppError, ErrorCode, ForbiddenError } from '../../errors.js';

/** Who a service acts for: the audit scope, and the request's access checks. */
export interface Actor {
  scope: RequestScope;
  access: Access;
}

/** Whether the viewer has at least `role` in the restaurant (platform admins always do). */
export async function hasRole(access: Access, role: MembershipRole, restaurantId: string): Promise<boolean> {
  try {
    await access.authorize({ role }, restaurantId);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.FORBIDDEN) return false;
    throw error;
  }
}

/** The signed-in user's id; tasks and time clocks are people's, never an API key's. */
export function userIdOf(scope: RequestScope): string {
  if (scope.viewer.kind !== 'user') throw new ForbiddenError('Only signed-in users can do this.');
  return scope.viewer.userId;
}
