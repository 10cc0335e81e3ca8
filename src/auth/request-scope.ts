import type { Viewer } from './viewer.js';

/** What services need to know about the request they act for: who, and for the audit trail. */
export interface RequestScope {
  viewer: Viewer;
  requestId: string;
  ip: string;
  /**
   * Restaurants whose data this request changed (null: data of no restaurant), as recorded by the
   * audit trail; the response cache invalidates them once the operation is done.
   */
  writes?: Set<string | null>;
}

/** The signed-in user acting in this request, recorded as actor or creator; null for API keys and the system. */
export const actorIdOf = (scope: RequestScope): string | null => (scope.viewer.kind === 'user' ? scope.viewer.userId : null);
