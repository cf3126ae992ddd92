import { newEventId } from '@saga/shared/outbox';
import { describeConformance, sagaEvent } from '@saga/shared/testing';
import { manifest } from './manifest.js';
import { startInventory } from './testing/inventory-under-test.js';

describeConformance({
  manifest,
  async start() {
    const inventory = await startInventory();
    // The sample saga's products, with stock for every saga the suite runs.
    await inventory.putProduct('product-1', 10_000);
    await inventory.putProduct('product-2', 10_000);
    return { ...inventory.underTest, stop: inventory.stop };
  },
  events: {
    'payment.completed': () => sagaEvent('payment.completed'),
    // A delivery can only fail for an order whose stock was reserved (else it is impossible).
    async 'delivery.failed'(service) {
      const reserved = sagaEvent('payment.completed');
      await service.apply('payment.completed', reserved);
      return sagaEvent('delivery.failed', reserved.orderId);
    },
    'order.canceled': () => sagaEvent('order.canceled'),
  },
  async state(service, orderId) {
    const { rows } = await service.database.pool.query(
      'SELECT status, reason FROM stock_reservations WHERE order_id = $1',
      [orderId],
    );
    return rows;
  },
  saga() {
    // Paid and canceled at the deadline, which may overtake the payment. (delivery.failed cannot
    // come before the reservation inventory itself announced: it is dead-lettered as impossible.)
    const orderId = newEventId();
    return [
      { topic: 'payment.completed', value: sagaEvent('payment.completed', orderId) },
      {
        topic: 'order.canceled',
        value: { ...sagaEvent('order.canceled', orderId), reason: 'TIMED_OUT' },
      },
    ];
  },
});
