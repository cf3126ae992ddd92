import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OrderStatus } from './order-status.js';
import type { SagaTopic } from './saga-state.js';
import { awaitedEvents, refundRefused } from './saga-waits.js';

const waits = (status: OrderStatus, facts: SagaTopic[] = []) =>
  awaitedEvents(status, new Set(facts));

describe('what a saga waits for', () => {
  it('waits for the next forward step and the service that owes it', () => {
    assert.deepEqual(waits('PENDING'), [{ event: 'payment.completed', service: 'payment' }]);
    assert.deepEqual(waits('PAID', ['payment.completed']), [
      { event: 'stock.reserved', service: 'inventory' },
    ]);
    assert.deepEqual(waits('STOCK_RESERVED', ['payment.completed', 'stock.reserved']), [
      { event: 'delivery.started', service: 'delivery' },
    ]);
  });

  it('waits for the refund when stock was short', () => {
    assert.deepEqual(waits('COMPENSATING', ['payment.completed', 'stock.reservation-failed']), [
      { event: 'payment.refunded', service: 'payment' },
    ]);
  });

  it('waits for both compensations of a failed delivery, then only the one not seen', () => {
    const failed: SagaTopic[] = ['payment.completed', 'stock.reserved', 'delivery.failed'];
    assert.deepEqual(waits('COMPENSATING', failed), [
      { event: 'payment.refunded', service: 'payment' },
      { event: 'stock.released', service: 'inventory' },
    ]);
    assert.deepEqual(waits('COMPENSATING', [...failed, 'payment.refunded']), [
      { event: 'stock.released', service: 'inventory' },
    ]);
    assert.deepEqual(waits('COMPENSATING', [...failed, 'stock.released']), [
      { event: 'payment.refunded', service: 'payment' },
    ]);
  });

  it('waits for nothing once the saga ended', () => {
    assert.deepEqual(
      waits('COMPLETED', ['payment.completed', 'stock.reserved', 'delivery.started']),
      [],
    );
    assert.deepEqual(waits('CANCELED', ['payment.failed']), []);
  });

  it('waits for a refused refund whatever the status, even after the saga ended', () => {
    const refused: SagaTopic[] = ['payment.completed', 'payment.refund-failed'];
    assert.deepEqual(waits('CANCELED', refused), [
      { event: 'payment.refunded', service: 'payment' },
    ]);
    assert.deepEqual(waits('COMPENSATING', [...refused, 'delivery.failed', 'stock.released']), [
      { event: 'payment.refunded', service: 'payment' },
    ]);
    assert.deepEqual(waits('COMPENSATING', [...refused, 'delivery.failed']), [
      { event: 'payment.refunded', service: 'payment' },
      { event: 'stock.released', service: 'inventory' },
    ]);
  });

  it('counts a refused refund as settled once a retried refund went through', () => {
    const facts = new Set<SagaTopic>(['payment.refund-failed']);
    assert.equal(refundRefused(facts), true);
    facts.add('payment.refunded');
    assert.equal(refundRefused(facts), false);
    assert.deepEqual(awaitedEvents('CANCELED', facts), []);
  });
});
