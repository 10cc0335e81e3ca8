/** A new order, or a status change: subscribers re-read the order. */
declare module '../../events/event-bus.js' {
  interface DomainEvents {
    orderUpdated: { orderId: string };
  }
}

export {};
