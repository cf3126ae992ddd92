import type { EventHandler, Handlers } from '@saga/shared/consumer';
import { ImpossibleEventError } from '@saga/shared/errors';
import { upsertProduct } from '../db/products.js';
import type { OrderRow } from '../db/schema.js';
import { SAGA_TOPICS, type SagaTopic } from '../domain/saga-state.js';
import type { HotDealGate } from '../hot-deal/gate.js';
import type { SagaMetrics } from '../metrics/saga-metrics.js';
import { noteSagaEvent } from '../use-cases/note-saga-event.js';

/**
 * Every saga event is one fact for the order's saga; product.upserted feeds the price replica.
 * `ended` hears of an order that ended once that is committed (it wakes the requests waiting).
 * A changed product's gate counter is forgotten after the commit: the next order of a hot deal
 * seeds it again from the replica, so a restock (or a stock cut) reaches the gate.
 */
export function orderHandlers(
  metrics: SagaMetrics,
  ended: (order: OrderRow) => void,
  gate: Pick<HotDealGate, 'forget'>,
): Handlers {
  const sagaHandler =
    (topic: SagaTopic): EventHandler<SagaTopic> =>
    async (event, context) => {
      const noted = await noteSagaEvent(topic, event, context);
      context.onCommitted(() => {
        metrics.count(topic, noted.outcome);
        if (noted.ended) ended(noted.ended);
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
        return;
      }
      context.onCommitted(() => void gate.forget(event.productId));
    },
  };
}
