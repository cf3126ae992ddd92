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
      const outcome = await releaseStock(context, event);
      context.onCommitted(() => metrics.count(context.topic, outcome));
    },
  };
}
