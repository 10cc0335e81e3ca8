import { AppError, ErrorCode, ForbiddenError, UnauthenticatedError } from '../errors.js';
import type { Viewer } from './viewer.js';

export type MembershipRole = 'OWNER' | 'MANAGER' | 'STAFF';
/** What `@auth(requires:)` takes: a membership role, or the platform ADMIN flag. */
export type RequiredRole = MembershipRole | 'ADMIN';

const rank: Record<MembershipRole, number> = { STAFF: 1, MANAGER: 2, OWNER: 3 };

export interface UserAccess {
  isAdmin: boolean;
  /** restaurant id → the user's role there. */
  roles: ReadonlyMap<string, MembershipRole>;
}

export interface AccessRequirement {
  /** From `@auth`: the least role a user needs. Absent: users may not use the field. */
  role?: RequiredRole;
  /** From `@scope`: the scope an API key needs. Absent: API keys may not use the field. */
  scope?: string;
}

/**
 * Passed instead of a restaurant id for data that is not a restaurant's (the viewer's own, or
 * platform-wide): only the viewer's kind and role are checked. Explicit, so that a missing id can
 * never stand for it.
 */
export const notRestaurantScoped: unique symbol = Symbol('not restaurant-scoped');
export type TenantRestaurant = string | typeof notRestaurantScoped;

export interface Access {
  /** Throws UNAUTHENTICATED or FORBIDDEN unless the viewer meets `requirement` for the restaurant. */
  authorize(requirement: AccessRequirement, restaurant: TenantRestaurant): Promise<void>;
  /** The ids of the restaurants the viewer may read; null means all (platform admin). */
  visibleRestaurantIds(): Promise<readonly string[] | null>;
  /** Whether the viewer is this user. */
  isUser(userId: string): boolean;
  /** Whether the viewer has at least `role` in the restaurant (platform admins always do). */
  hasRole(role: MembershipRole, restaurantId: string): Promise<boolean>;
  /**
   * Whether `authorize` already let this requirement (the same object) through for this restaurant in this
   * request. A request's access is read once, so the answer cannot change: a page of orders is checked once
   * per field, not per field of every order.
   */
  granted(requirement: AccessRequirement, restaurant: TenantRestaurant): boolean;
  /** `authorize` as a yes or no, for data that is hidden rather than refused: anonymous callers get no. */
  allows(requirement: AccessRequirement, restaurant: TenantRestaurant): Promise<boolean>;
}

/** Access checks for one request; `loadUserAccess` is a per-request (memoised) lookup. */
export function createAccess(viewer: Viewer, loadUserAccess: (userId: string) => Promise<UserAccess | null>): Access {
  const userAccess = async (userId: string) => {
    const access = await loadUserAccess(userId);
    if (!access) throw new UnauthenticatedError('The user of this token no longer exists.');
    return access;
  };
  // By requirement object: a guarded field's requirement is one object, asked about for every object of a page.
  const grants = new WeakMap<AccessRequirement, Set<TenantRestaurant>>();
  const check = async (requirement: AccessRequirement, restaurant: TenantRestaurant) => {
    switch (viewer.kind) {
      case 'anonymous':
        throw new UnauthenticatedError();
      case 'apiKey': {
        if (!requirement.scope) throw new ForbiddenError('API keys cannot use this field.');
        if (!viewer.scopes.includes(requirement.scope)) throw new ForbiddenError(`This API key lacks the "${requirement.scope}" scope.`);
        if (restaurant !== notRestaurantScoped && restaurant !== viewer.restaurantId) throw new ForbiddenError();
        return;
      }
      case 'user': {
        if (!requirement.role) throw new ForbiddenError('Only partner API keys can use this field.');
        const access = await userAccess(viewer.userId);
        if (access.isAdmin) return;
        if (requirement.role === 'ADMIN') throw new ForbiddenError('Only platform administrators can do this.');
        if (restaurant === notRestaurantScoped) return;
        const role = access.roles.get(restaurant);
        if (!role || rank[role] < rank[requirement.role]) throw new ForbiddenError();
      }
    }
  };
  const access: Access = {
    async authorize(requirement, restaurant) {
      await check(requirement, restaurant);
      const restaurants = grants.get(requirement) ?? new Set<TenantRestaurant>();
      grants.set(requirement, restaurants.add(restaurant));
    },
    granted(requirement, restaurant) {
      return grants.get(requirement)?.has(restaurant) ?? false;
    },
    async visibleRestaurantIds() {
      if (viewer.kind === 'anonymous') return [];
      if (viewer.kind === 'apiKey') return [viewer.restaurantId];
      const access = await userAccess(viewer.userId);
      return access.isAdmin ? null : [...access.roles.keys()];
    },
    isUser(userId) {
      return viewer.kind === 'user' && viewer.userId === userId;
    },
    async hasRole(role, restaurantId) {
      if (viewer.kind === 'anonymous') throw new UnauthenticatedError();
      return access.allows({ role }, restaurantId);
    },
    async allows(requirement, restaurant) {
      if (viewer.kind === 'anonymous') return false;
      try {
        await access.authorize(requirement, restaurant);
        return true;
      } catch (error) {
        if (error instanceof AppError && error.code === ErrorCode.FORBIDDEN) return false;
        throw error;
      }
    },
  };
  return access;
}
