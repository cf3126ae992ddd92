import type { PaymentMethod } from '@saga/shared/events';
import { newEventId, type OutboxEvent } from '@saga/shared/outbox';
import type { TimelineEntry } from '../db/saga.js';
import type { OrderRow, ShippingAddress } from '../db/schema.js';
import type { OrderStatus } from '../domain/order-status.js';
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

/**
 * The timeline entry of the event that will announce the order's end, named before the order
 * moves, so that the statement that moves it also writes the entry.
 */
export function orderEnding(orderId: string, status: OrderStatus): TimelineEntry {
  const type = status === 'COMPLETED' ? 'order.completed' : 'order.canceled';
  return { orderId, eventId: newEventId(), type, service: 'order', at: new Date() };
}

/**
 * `order.completed` or `order.canceled` for an order that just entered its terminal state, as
 * its `ending` entry names it.
 */
export function orderEnded(
  order: OrderRow,
  /** The event that ended the saga; null when its deadline did. */
  causationId: string | null,
  ending: TimelineEntry,
): OutboxEvent & { topic: 'order.completed' | 'order.canceled' } {
  const saga = {
    eventId: ending.eventId,
    orderId: order.id,
    occurredAt: ending.at.getTime(),
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
