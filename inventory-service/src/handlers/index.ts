import type { Handlers } from '@saga/shared/consumer';
import { releaseStock } from '../inventory/release-stock.js';
import { reserveStock } from '../inventory/reserve-stock.js';
import type { StockMetrics } from '../metrics.js';

/**
 * The events inventory reacts to: each one call in the transaction that records the event,
 * counted once that transaction commits (a retried attempt is not counted twice).
 */
export function inventoryHandlers(metrics: StockMetrics): Handlers {
  return {
    'payment.completed': async (event, context) => {
      const outcome = await reserveStock(context, event);
      context.onCommitted(() => metrics.count(context.topic, outcome));
    },
    'delivery.failed': async (event, context) => {
      const outcome = await releaseStock(context, event, 'DELIVERY_FAILED');
      context.onCommitted(() => metrics.count(context.topic, outcome));
    },
    // Other cancellations end the saga after the compensations they need: nothing is held.
    'order.canceled': async (event, context) => {
      if (event.reason !== 'TIMED_OUT') return;
      const outcome = await releaseStock(context, event, 'TIMED_OUT');
      context.onCommitted(() => metrics.count(context.topic, outcome));
    },
  };
}
