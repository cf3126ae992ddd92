import { v7 as uuidv7 } from 'uuid';
import type { Topic, TopicEvents } from './generated.js';

/** One valid event per topic, all of one saga (causationId links each to its cause). For tests. */
export const sampleEvents: { readonly [T in Topic]: TopicEvents[T] } = (() => {
  const orderId = '01a1fe2a-9818-77ce-8002-f42ea9cecff3';
  const customerId = 'customer-1';
  const occurredAt = Date.UTC(2025, 0, 15, 10, 30);
  const saga = { orderId, occurredAt };
  const address = { line1: '1 Main Street', city: 'Lisbon', postalCode: '1000-001', country: 'PT' };
  const items = [
    { productId: 'product-1', quantity: 2 },
    { productId: 'product-2', quantity: 1 },
  ];
  const ids = {
    created: '01a1fe2a-981a-72ea-97ad-e8769ace36c1',
    paid: '01a1fe2a-981a-72ea-97ad-ec080fad0943',
    reserved: '01a1fe2a-981a-72ea-97ad-f0a211521750',
    reservationFailed: '01a1fe2a-981a-72ea-97ad-f588516d0edd',
    paymentFailed: '01a1fe2a-981a-72ea-97ad-f92add22b63d',
    deliveryStarted: '01a1fe2a-981a-72ea-97ad-fc9882f7877f',
    deliveryFailed: '01a1fe2a-981a-72ea-97ae-02e695580d8a',
  };
  return {
    'order.created': {
      ...saga,
      eventId: ids.created,
      causationId: null,
      customerId,
      items: [
        { productId: 'product-1', name: 'Espresso cup', quantity: 2, unitPriceMinor: 1250 },
        { productId: 'product-2', name: 'Milk jug', quantity: 1, unitPriceMinor: 1999 },
      ],
      amountMinor: 4499,
      currency: 'EUR',
      shippingAddress: address,
      paymentMethod: { type: 'card', token: 'tok_ok' },
    },
    'payment.completed': {
      ...saga,
      eventId: ids.paid,
      causationId: ids.created,
      customerId,
      paymentId: 'payment-1',
      gatewayTransactionId: 'gw-tx-1',
      amountMinor: 4499,
      currency: 'EUR',
      items,
      shippingAddress: address,
    },
    'payment.failed': {
      ...saga,
      eventId: ids.paymentFailed,
      causationId: ids.created,
      customerId,
      amountMinor: 4499,
      currency: 'EUR',
      reason: 'PAYMENT_DECLINED',
      details: 'card declined by issuer',
    },
    'payment.refunded': {
      ...saga,
      eventId: '01a1fe2a-981b-7379-9de6-5288752086ca',
      causationId: ids.reservationFailed,
      customerId,
      paymentId: 'payment-1',
      refundId: 'refund-1',
      amountMinor: 4499,
      currency: 'EUR',
      reason: 'OUT_OF_STOCK',
    },
    'payment.refund-failed': {
      ...saga,
      eventId: '01a1fe2a-981b-7379-9de6-5288752086cb',
      causationId: ids.reservationFailed,
      customerId,
      paymentId: 'payment-1',
      amountMinor: 4499,
      currency: 'EUR',
      reason: 'OUT_OF_STOCK',
      details: '422: the charge was already refunded',
    },
    'stock.reserved': {
      ...saga,
      eventId: ids.reserved,
      causationId: ids.paid,
      reservationId: 'reservation-1',
      items,
      shippingAddress: address,
    },
    'stock.reservation-failed': {
      ...saga,
      eventId: ids.reservationFailed,
      causationId: ids.paid,
      items,
      reason: 'OUT_OF_STOCK',
    },
    'stock.released': {
      ...saga,
      eventId: '01a1fe2a-981b-7379-9de6-5677df096fce',
      causationId: ids.deliveryFailed,
      reservationId: 'reservation-1',
      items,
      reason: 'DELIVERY_FAILED',
    },
    'delivery.started': {
      ...saga,
      eventId: ids.deliveryStarted,
      causationId: ids.reserved,
      deliveryId: 'delivery-1',
      postalCode: address.postalCode,
    },
    'delivery.failed': {
      ...saga,
      eventId: ids.deliveryFailed,
      causationId: ids.reserved,
      deliveryId: 'delivery-1',
      reason: 'UNDELIVERABLE_ADDRESS',
    },
    'order.completed': {
      ...saga,
      eventId: '01a1fe2a-981b-7379-9de6-59632eb89a12',
      causationId: ids.deliveryStarted,
      customerId,
      amountMinor: 4499,
      currency: 'EUR',
    },
    'order.canceled': {
      ...saga,
      eventId: '01a1fe2a-981b-7379-9de6-5c1344c93a66',
      causationId: ids.paymentFailed,
      customerId,
      reason: 'PAYMENT_DECLINED',
    },
    'product.upserted': {
      eventId: '01a1fe2a-981b-7379-9de6-61a7b43094dc',
      productId: 'product-1',
      occurredAt,
      name: 'Espresso cup',
      priceMinor: 1250,
      currency: 'EUR',
      stock: 100,
      hotDeal: false,
    },
  };
})();

/** A fresh copy of the sample event of `topic` with a new eventId, then `overrides` applied. */
export function sampleEvent<T extends Topic>(
  topic: T,
  overrides: Partial<TopicEvents[T]> = {},
): TopicEvents[T] {
  return { ...structuredClone(sampleEvents[topic]), eventId: uuidv7(), ...overrides };
}

/** The topics whose events belong to one order's saga. */
export type SagaEventTopic = {
  [T in Topic]: TopicEvents[T] extends { orderId: string } ? T : never;
}[Topic];

/** A fresh sample event of the saga of `orderId` (a new order by default), occurring now. */
export function sagaEvent<T extends SagaEventTopic>(
  topic: T,
  orderId: string = uuidv7(),
): TopicEvents[T] {
  return sampleEvent(topic, { orderId, occurredAt: Date.now() } as Partial<TopicEvents[T]>);
}
