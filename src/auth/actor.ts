import { ForbiddenError } from '../errors.js';
import type { Access } from './access.js';
import type { RequestScope } from './request-scope.js';

/** Who a service acts for: the audit scope, and the request's access checks. */
export interface Actor {
  scope: RequestScope;
  access: Access;
}

/** The signed-in user's id, for things that belong to people (tasks, shifts), never to an API key. */
export function userIdOf(scope: RequestScope): string {
  if (scope.viewer.kind !== 'user') throw new ForbiddenError('Only signed-in users can do this.');
  return scope.viewer.userId;
}
