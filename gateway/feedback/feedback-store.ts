import { randomUUID } from 'node:crypto';

export interface FeedbackEntry {
  id: string;
  orderId: string;
  menuItemId: string | null;
  authorId: string;
  stars: number;
  comment: string | null;
}

/** The feedback subgraph's data, in memory: it is a federation example, not a product. */
export class FeedbackStore {
  readonly entries: FeedbackEntry[] = [];

  add(entry: Omit<FeedbackEntry, 'id'>): FeedbackEntry {
    const saved = { id: randomUUID(), ...entry };
    this.entries.push(saved);
    return saved;
  }

  forOrder(orderId: string): FeedbackEntry | null {
    return this.entries.findLast((entry) => entry.orderId === orderId) ?? null;
  }

  byAuthor(authorId: string): FeedbackEntry[] {
    return this.entries.filter((entry) => entry.authorId === authorId);
  }

  starsFor(menuItemId: string): number[] {
    return this.entries.filter((entry) => entry.menuItemId === menuItemId).map((entry) => entry.stars);
  }
}
