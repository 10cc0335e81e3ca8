import { describe, expect, it } from 'vitest';
import { createEventBus } from './event-bus.js';

describe('in-process event bus', () => {
  it('delivers only the events `where` accepts', async () => {
    const bus = await createEventBus(null, () => undefined);
    const events = bus.subscribe('orderUpdated', { where: (event) => event.restaurantId === 'r1' });
    const next = events.next();
    await bus.publish({ type: 'orderUpdated', restaurantId: 'r2', orderId: 'o1' });
    await bus.publish({ type: 'orderUpdated', restaurantId: 'r1', orderId: 'o2' });
    expect(await next).toEqual({ done: false, value: { type: 'orderUpdated', restaurantId: 'r1', orderId: 'o2' } });
    await bus.close();
  });

  it('ends a stream at once on return(), even while it waits for an event', async () => {
    const bus = await createEventBus(null, () => undefined);
    const events = bus.subscribe('taskAssigned');
    const waiting = events.next();
    await events.return?.();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(await events.next()).toEqual({ done: true, value: undefined });
    await bus.close();
  });

  it('ends a stream when its signal aborts', async () => {
    const bus = await createEventBus(null, () => undefined);
    const controller = new AbortController();
    const events = bus.subscribe('inventoryLow', { signal: controller.signal });
    const waiting = events.next();
    controller.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
    await bus.close();
  });
});
