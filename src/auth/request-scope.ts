import type { Viewer } from './viewer.js';

/** What services need to know about the request they act for: who, and for the audit trail. */
export interface RequestScope {
  viewer: Viewer;
  requestId: string;
  ip: string;
}
