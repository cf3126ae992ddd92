import type { EventHandler, Handlers } from '@saga/shared/consumer';
import { ImpossibleEventError } from '@saga/shared/errors';
import { upsertProduct } from '../db/products.js';
import { SAGA_TOPICS, type SagaTopic } from '../domain/saga-state.js';
import type { OrderWatch } from '../orders/order-watch.js';
import { noteSagaEvent } from '../saga/note-saga-event.js';
import type { SagaMetrics } from '../saga/saga-metrics.js';

/**
 * Every saga event is one fact for the order's saga; product.upserted feeds the price replica.
 * An order that ended wakes the requests waiting for it once committed, so they read the end.
 */
export function orderHandlers(metrics: SagaMetrics, watch: OrderWatch): Handlers {
  const sagaHandler =
    (topic: SagaTopic): EventHandler<SagaTopic> =>
    async (event, context) => {
      const { outcome, ended } = await noteSagaEvent(topic, event, context);
      context.onCommitted(() => {
        metrics.count(topic, outcome);
        if (ended) {
          metrics.ended(ended);
          watch.ended(event.orderId);
        }
      });
    };
  return {
    ...Object.fromEntries(SAGA_TOPICS.map((topic) => [topic, sagaHandler(topic)])),
    'product.upserted': async (event, context) => {
      // Inventory validates what it publishes: anything else would price orders wrongly.
      if (event.priceMinor < 0 || event.stock < 0 || !/^[A-Z]{3}$/.test(event.currency)) {
        throw new ImpossibleEventError(
          `product.upserted ${event.eventId}: price ${event.priceMinor} ${event.currency}, stock ${event.stock}`,
        );
      }
      if (!(await upsertProduct(context.tx, event))) {
        context.logger.info({ productId: event.productId }, 'older product.upserted ignored');
      }
    },
  };
}
