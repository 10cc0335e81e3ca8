import { InvalidStateTransitionError } from '../../errors.js';
import type { OrderStatus } from '../../generated/prisma/client.js';

/** The order life cycle: where each status may go next. */
const nextStatuses: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['PREPARING', 'CANCELLED'],
  PREPARING: ['READY'],
  READY: ['COMPLETED'],
  COMPLETED: [],
  CANCELLED: [],
};

export function assertTransition(orderId: string, from: OrderStatus, to: OrderStatus): void {
  if (!nextStatuses[from].includes(to)) throw new InvalidStateTransitionError(`Order "${orderId}"`, from, to);
}
