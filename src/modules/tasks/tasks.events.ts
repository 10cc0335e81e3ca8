/** A task was assigned to someone: their `taskAssigned` subscription receives it. */
declare module '../../events/event-bus.js' {
  interface DomainEvents {
    taskAssigned: { taskId: string; assigneeId: string };
  }
}

export {};
