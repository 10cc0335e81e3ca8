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
