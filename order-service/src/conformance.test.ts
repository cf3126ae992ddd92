import { randomUUID } from 'node:crypto';
import { newEventId } from '@saga/shared/outbox';
import {
  describeConformance,
  type ServiceUnderTest,
  sagaEvent,
  sampleEvent,
  stackCredentials,
  startServiceUnderTest,
} from '@saga/shared/testing';
import { loadServiceConfig } from './config.js';
import { manifest } from './manifest.js';
import { createDefinition } from './service.js';
import { orderBody } from './testing/order-service-under-test.js';

const credentials = await stackCredentials();

/** Places an order through the API, for a product new to the replica; answers its id. */
async function placeOrder(service: ServiceUnderTest): Promise<string> {
  const productId = `product-${newEventId()}`;
  await service.apply(
    'product.upserted',
    sampleEvent('product.upserted', { productId, priceMinor: 1250, occurredAt: Date.now() }),
  );
  const response = await fetch(`${service.url}/orders`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
      authorization: `Bearer ${await credentials.customer('customer-conformance')}`,
    },
    body: JSON.stringify(orderBody([{ productId, quantity: 1 }])),
  });
  if (response.status !== 202) throw new Error(`POST /orders answered ${response.status}`);
  return ((await response.json()) as { orderId: string }).orderId;
}

describeConformance({
  manifest,
  start: () =>
    startServiceUnderTest({ define: (env) => createDefinition(loadServiceConfig({ env })) }),
  // An event of an order the service never placed is impossible: each belongs to a new order.
  events: {
    'payment.completed': async (service) =>
      sagaEvent('payment.completed', await placeOrder(service)),
    'payment.failed': async (service) => sagaEvent('payment.failed', await placeOrder(service)),
    'payment.refunded': async (service) => sagaEvent('payment.refunded', await placeOrder(service)),
    'payment.refund-failed': async (service) =>
      sagaEvent('payment.refund-failed', await placeOrder(service)),
    'stock.reserved': async (service) => sagaEvent('stock.reserved', await placeOrder(service)),
    'stock.reservation-failed': async (service) =>
      sagaEvent('stock.reservation-failed', await placeOrder(service)),
    'stock.released': async (service) => sagaEvent('stock.released', await placeOrder(service)),
    'delivery.started': async (service) => sagaEvent('delivery.started', await placeOrder(service)),
    'delivery.failed': async (service) => sagaEvent('delivery.failed', await placeOrder(service)),
    'product.upserted': () =>
      sampleEvent('product.upserted', { productId: newEventId(), occurredAt: Date.now() }),
  },
  async state(service, key) {
    const { rows } = await service.database.pool.query(
      `SELECT 'order' AS kind, status::text, failure_reason::text AS reason FROM orders WHERE id::text = $1
       UNION ALL
       SELECT 'saga', status::text, current_step::text FROM saga_instances WHERE order_id::text = $1
       UNION ALL
       SELECT 'product', name, price_minor::text FROM products WHERE product_id = $1`,
      [key],
    );
    return rows;
  },
  async saga(service) {
    // The happy path after the order was placed.
    const orderId = await placeOrder(service);
    return [
      { topic: 'payment.completed', value: sagaEvent('payment.completed', orderId) },
      { topic: 'stock.reserved', value: sagaEvent('stock.reserved', orderId) },
      { topic: 'delivery.started', value: sagaEvent('delivery.started', orderId) },
    ];
  },
});
