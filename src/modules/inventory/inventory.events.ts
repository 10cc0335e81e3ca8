/** A stock item fell to or below its reorder threshold (once per crossing). */
declare module '../../events/event-bus.js' {
  interface DomainEvents {
    inventoryLow: { inventoryItemId: string };
  }
}

export {};
