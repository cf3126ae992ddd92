import type { StockReserved } from '@saga/shared/events';
import { newEventId, type OutboxEvent } from '@saga/shared/outbox';
import type { Delivery } from '../db/schema.js';

/** The event that tells the saga how its delivery went: `delivery.started` or `delivery.failed`. */
export function deliveryOutcome(delivery: Delivery, cause: StockReserved): OutboxEvent {
  const common = {
    eventId: newEventId(),
    orderId: delivery.orderId,
    occurredAt: Date.now(),
    causationId: cause.eventId,
    deliveryId: delivery.id,
  };
  return delivery.status === 'STARTED'
    ? { topic: 'delivery.started', value: { ...common, postalCode: delivery.postalCode! } }
    : { topic: 'delivery.failed', value: { ...common, reason: delivery.reason! } };
}
