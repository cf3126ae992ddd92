import { newEventId } from '@saga/shared/outbox';
import { describeConformance, type ServiceUnderTest, sagaEvent } from '@saga/shared/testing';
import { manifest } from './manifest.js';
import { startPaymentHarness } from './testing/payment-service-under-test.js';

async function afterCharge<T extends 'stock.reservation-failed' | 'delivery.failed'>(
  service: ServiceUnderTest,
  topic: T,
) {
  const created = sagaEvent('order.created');
  await service.apply('order.created', created);
  return sagaEvent(topic, created.orderId);
}

describeConformance({
  manifest,
  async start() {
    const harness = await startPaymentHarness();
    return { ...harness.underTest, stop: harness.stop };
  },
  events: {
    'order.created': () => sagaEvent('order.created'),
    // Compensations of a charge: each follows the order.created that caused it.
    'stock.reservation-failed': (service) => afterCharge(service, 'stock.reservation-failed'),
    'delivery.failed': (service) => afterCharge(service, 'delivery.failed'),
    'order.canceled': () => sagaEvent('order.canceled'),
  },
  async state(service, orderId) {
    const { rows } = await service.database.pool.query(
      'SELECT kind, status, reason FROM payments WHERE order_id = $1 ORDER BY kind',
      [orderId],
    );
    return rows;
  },
  // Charged then refunded, or never charged: either way the customer is out of nothing.
  async outcome(service, orderId) {
    const { rows } = await service.database.pool.query(
      `SELECT coalesce(sum(amount_minor) FILTER (WHERE status = 'COMPLETED' AND kind = 'CHARGE'), 0)
            - coalesce(sum(amount_minor) FILTER (WHERE status = 'COMPLETED' AND kind = 'REFUND'), 0)
              AS held,
              count(*) FILTER (WHERE status = 'PENDING') AS pending
         FROM payments WHERE order_id = $1`,
      [orderId],
    );
    return rows;
  },
  saga() {
    // Created and canceled at its deadline, which may overtake the order.
    const orderId = newEventId();
    return [
      { topic: 'order.created', value: sagaEvent('order.created', orderId) },
      {
        topic: 'order.canceled',
        value: { ...sagaEvent('order.canceled', orderId), reason: 'TIMED_OUT' },
      },
    ];
  },
});
