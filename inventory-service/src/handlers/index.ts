import type { HandlerContext, Handlers } from '@saga/shared/consumer';
import type { ReleaseReason } from '../domain/reservation.js';
import type { StockMetrics } from '../metrics.js';
import { releaseStock } from '../use-cases/release-stock.js';
import { reserveStock } from '../use-cases/reserve-stock.js';

/**
 * The events inventory reacts to: each one call in the transaction that records the event,
 * counted once that transaction commits (a retried attempt is not counted twice).
 */
export function inventoryHandlers(metrics: StockMetrics): Handlers {
  const release = async (
    context: HandlerContext,
    cause: Parameters<typeof releaseStock>[1],
    reason: ReleaseReason,
  ) => {
    const outcome = await releaseStock(context, cause, reason);
    context.onCommitted(() => {
      metrics.count(context.topic, outcome);
      if (outcome === 'released') metrics.released(reason);
    });
  };
  return {
    'payment.completed': async (event, context) => {
      const outcome = await reserveStock(context, event);
      context.onCommitted(() => metrics.count(context.topic, outcome));
    },
    'delivery.failed': (event, context) => release(context, event, 'DELIVERY_FAILED'),
    // Other cancellations end the saga after the compensations they need: nothing is held.
    'order.canceled': async (event, context) => {
      if (event.reason !== 'TIMED_OUT') return;
      await release(context, event, 'TIMED_OUT');
    },
  };
}
