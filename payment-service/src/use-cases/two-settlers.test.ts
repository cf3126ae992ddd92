import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sampleEvent } from '@saga/shared/testing';
import {
  eventually,
  type PaymentHarness,
  startPaymentHarness,
} from '../testing/payment-service-under-test.js';

const TOKENS = ['tok_ok', 'tok_ok', 'tok_ok', 'tok_decline', 'tok_timeout_charged'];

describe('two payment-service instances on one database', () => {
  let harness: PaymentHarness;

  before(async () => {
    // Small batches and slow answers, so both settlers are at work at the same time.
    harness = await startPaymentHarness({
      instances: 2,
      env: { PAYMENT_SETTLER_BATCH_SIZE: '2' },
    });
    await harness.configureGateway({ latencyMs: { min: 20, max: 60 } });
  });

  after(() => harness.stop());

  /** Settlement outcomes of one instance, from its metrics: { completed: n, stale: n, ... }. */
  async function settlementsOf(url: string): Promise<Record<string, number>> {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const outcomes: Record<string, number> = {};
    for (const [, outcome, count] of metrics.matchAll(
      /^saga_payment_settlements_total\{[^}]*outcome="([a-z]+)"[^}]*\} (\d+)$/gm,
    )) {
      outcomes[outcome!] = (outcomes[outcome!] ?? 0) + Number(count);
    }
    return outcomes;
  }

  it('never charge an order twice', async () => {
    const orders = Array.from({ length: 40 }, (_, i) =>
      sampleEvent('order.created', {
        orderId: randomUUID(),
        paymentMethod: { type: 'card', token: TOKENS[i % TOKENS.length]! },
      }),
    );
    await Promise.all(orders.map((order) => harness.produce('order.created', order)));

    for (const order of orders) {
      await eventually(`order ${order.orderId} to settle`, async () => {
        const [payment] = await harness.payments(order.orderId);
        return payment && payment.status !== 'PENDING';
      });
      assert.equal((await harness.gatewayCharges(order.orderId)).length, 1, order.orderId);
      const outcomes = [
        ...(await harness.emitted('payment.completed', order.orderId)),
        ...(await harness.emitted('payment.failed', order.orderId)),
      ];
      assert.equal(outcomes.length, 1, order.orderId);
    }
    const stats = await harness.gatewayStats();
    assert.equal(stats.charges + stats.declines, orders.length);
    const [first, second] = await Promise.all(
      harness.services.map((service) => settlementsOf(service.url)),
    );
    const settledBy = (outcomes: Record<string, number> = {}) =>
      (outcomes.completed ?? 0) + (outcomes.failed ?? 0);
    assert.ok(settledBy(first) > 0 && settledBy(second) > 0, 'both instances settled payments');
    // A row settled by one instance and found already settled by the other would count as stale.
    assert.equal(settledBy(first) + settledBy(second), orders.length);
    assert.equal((first?.stale ?? 0) + (second?.stale ?? 0), 0, 'no payment worked twice');
  });
});
