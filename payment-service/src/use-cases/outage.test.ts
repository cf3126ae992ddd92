import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sampleEvent } from '@saga/shared/testing';
import {
  eventually,
  type PaymentHarness,
  startPaymentHarness,
} from '../testing/payment-service-under-test.js';

const OPEN = 2;
const CLOSED = 0;

describe('payment-service during a gateway outage', () => {
  let harness: PaymentHarness;

  before(async () => {
    harness = await startPaymentHarness();
  });

  after(() => harness.stop());

  async function circuitState(): Promise<number> {
    const metrics = await (await fetch(`${harness.services[0]!.url}/metrics`)).text();
    const match = /^saga_payment_gateway_circuit_state(?:\{[^}]*\})? (\d+)$/m.exec(metrics);
    assert.ok(match, 'the circuit state gauge is exposed');
    return Number(match[1]);
  }

  it('keeps payments pending with the circuit open, then settles each once the gateway is back', async () => {
    await harness.configureGateway({ outage: true });
    const orders = Array.from({ length: 4 }, () =>
      sampleEvent('order.created', { orderId: randomUUID() }),
    );
    for (const order of orders) await harness.produce('order.created', order);

    await eventually('the circuit to open', async () => (await circuitState()) === OPEN);
    const pending = (await Promise.all(orders.map((o) => harness.payments(o.orderId)))).flat();
    assert.equal(pending.length, orders.length);
    for (const payment of pending) assert.equal(payment.status, 'PENDING');
    assert.ok(
      pending.some((payment) => payment.attempts > 0 && payment.lastError),
      'failed attempts are recorded',
    );
    assert.equal((await harness.gatewayStats()).charges, 0);

    await harness.configureGateway({ outage: false });
    for (const order of orders) {
      const charge = await eventually(`order ${order.orderId} to be charged`, async () => {
        const [payment] = await harness.payments(order.orderId);
        return payment?.status === 'COMPLETED' && payment;
      });
      assert.equal((await harness.gatewayCharges(order.orderId)).length, 1);
      const completed = await harness.emitted('payment.completed', order.orderId);
      assert.deepEqual(
        completed.map((event) => event.gatewayTransactionId),
        [charge.gatewayTransactionId],
      );
    }
    assert.equal((await harness.gatewayStats()).charges, orders.length);
    assert.equal(await circuitState(), CLOSED);
  });
});
