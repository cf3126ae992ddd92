import type { ItemQuantity, PaymentCompleted } from '@saga/shared/events';
import { newEventId, type OutboxEvent } from '@saga/shared/outbox';
import type { ProductState } from '../db/products.js';
import type { ReleaseReason, ReservationFailure } from '../domain/reservation.js';

/** The saga fields every event of this service carries, caused by `cause`. */
function causedBy(cause: { eventId: string; orderId: string }) {
  return {
    eventId: newEventId(),
    orderId: cause.orderId,
    occurredAt: Date.now(),
    causationId: cause.eventId,
  };
}

export function stockReserved(
  payment: PaymentCompleted,
  reservation: { id: string; items: ItemQuantity[] },
): OutboxEvent {
  return {
    topic: 'stock.reserved',
    value: {
      ...causedBy(payment),
      reservationId: reservation.id,
      items: reservation.items,
      shippingAddress: payment.shippingAddress,
    },
  };
}

export function stockReservationFailed(
  payment: PaymentCompleted,
  items: ItemQuantity[],
  reason: ReservationFailure,
): OutboxEvent {
  return { topic: 'stock.reservation-failed', value: { ...causedBy(payment), items, reason } };
}

export function stockReleased(
  cause: { eventId: string; orderId: string },
  reservation: { id: string; items: ItemQuantity[] },
  reason: ReleaseReason,
): OutboxEvent {
  return {
    topic: 'stock.released',
    value: {
      ...causedBy(cause),
      reservationId: reservation.id,
      items: reservation.items,
      reason,
    },
  };
}

/** The product's current state; its change time orders the replicas' updates. */
export function productUpserted(product: ProductState): OutboxEvent {
  return {
    topic: 'product.upserted',
    value: {
      eventId: newEventId(),
      productId: product.productId,
      occurredAt: product.updatedAt.getTime(),
      name: product.name,
      priceMinor: product.priceMinor,
      currency: product.currency,
      stock: product.availableQuantity,
      hotDeal: product.hotDeal,
    },
  };
}
