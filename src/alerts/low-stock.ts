import type { EventBus } from '../events/event-bus.js';
import type { AlertManager } from './alert-manager.js';

/**
 * Announces every `inventoryLow` event (published once per crossing of an item's reorder threshold)
 * as an informational alert. Returns the function that stops listening.
 */
export function watchLowStock(events: EventBus, alerts: Pick<AlertManager, 'announce'>): () => void {
  const controller = new AbortController();
  void (async () => {
    for await (const event of events.subscribe('inventoryLow', { signal: controller.signal })) {
      await alerts.announce({
        status: 'info',
        name: 'low_stock',
        title: 'Low stock',
        severity: 'info',
        summary: `Inventory item "${event.inventoryItemId}" fell below its reorder threshold`,
        details: { restaurantId: event.restaurantId, inventoryItemId: event.inventoryItemId },
      });
    }
  })();
  return () => controller.abort();
}
