import { newEventId } from '@saga/shared/outbox';
import { describeConformance, sagaEvent, startServiceUnderTest } from '@saga/shared/testing';
import { loadServiceConfig } from './config.js';
import { manifest } from './manifest.js';
import { createDefinition } from './service.js';

const reserved = (orderId?: string) => sagaEvent('stock.reserved', orderId);
/** Canceled at its deadline: the cancellation delivery-service acts on. */
const canceled = (orderId?: string) => ({
  ...sagaEvent('order.canceled', orderId),
  reason: 'TIMED_OUT' as const,
});

describeConformance({
  manifest,
  start: () =>
    startServiceUnderTest({
      define: (env) => createDefinition(loadServiceConfig({ env })),
      // Every address is deliverable: the outcome does not depend on the order id.
      env: { DELIVERY_FAILURE_RATE: '0' },
    }),
  events: {
    'stock.reserved': () => reserved(),
    'order.canceled': () => canceled(),
  },
  async state(service, orderId) {
    const { rows } = await service.database.pool.query(
      'SELECT status, reason FROM deliveries WHERE order_id = $1',
      [orderId],
    );
    return rows;
  },
  saga() {
    const orderId = newEventId();
    return [
      { topic: 'stock.reserved', value: reserved(orderId) },
      { topic: 'order.canceled', value: canceled(orderId) },
    ];
  },
});
