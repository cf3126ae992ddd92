import type { PaymentMethod } from '@saga/shared/events';
import { newEventId, type OutboxEvent } from '@saga/shared/outbox';
import type { OrderRow, ShippingAddress } from '../db/schema.js';
import type { PricedOrder } from '../domain/pricing.js';

export interface PlacedOrder extends PricedOrder {
  orderId: string;
  customerId: string;
  shippingAddress: ShippingAddress;
  paymentMethod: PaymentMethod;
  createdAt: Date;
}

/** Starts the saga with a full snapshot: downstream services never call order-service back. */
export function orderCreated(order: PlacedOrder): OutboxEvent & { topic: 'order.created' } {
  return {
    topic: 'order.created',
    value: {
      eventId: newEventId(),
      orderId: order.orderId,
      occurredAt: order.createdAt.getTime(),
      causationId: null,
      customerId: order.customerId,
      items: order.items,
      amountMinor: order.amountMinor,
      currency: order.currency,
      shippingAddress: order.shippingAddress,
      paymentMethod: order.paymentMethod,
    },
  };
}

/** `order.completed` or `order.canceled` for an order that just entered its terminal state. */
export function orderEnded(
  order: OrderRow,
  causationId: string,
): OutboxEvent & { topic: 'order.completed' | 'order.canceled' } {
  const saga = {
    eventId: newEventId(),
    orderId: order.id,
    occurredAt: Date.now(),
    causationId,
    customerId: order.customerId,
  };
  if (order.status === 'COMPLETED') {
    return {
      topic: 'order.completed',
      value: { ...saga, amountMinor: order.amountMinor, currency: order.currency },
    };
  }
  if (order.status === 'CANCELED' && order.failureReason) {
    return { topic: 'order.canceled', value: { ...saga, reason: order.failureReason } };
  }
  throw new Error(`Order ${order.id} has not ended (${order.status})`);
}
