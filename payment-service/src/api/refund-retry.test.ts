import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Credentials } from '@saga/shared/auth';
import { responseChecker, sampleEvent, stackCredentials } from '@saga/shared/testing';
import {
  eventually,
  type PaymentHarness,
  startPaymentHarness,
} from '../testing/payment-service-under-test.js';
import { paymentApiDocument } from './openapi.js';

describe('a refund the gateway refuses', () => {
  let harness: PaymentHarness;
  let credentials: Credentials;
  const conforms = responseChecker(paymentApiDocument);

  before(async () => {
    harness = await startPaymentHarness();
    credentials = await stackCredentials();
  });

  after(() => harness.stop());

  /** POST /payments/:orderId/refund/retry, checked against the service's OpenAPI document. */
  async function retry(orderId: string, token?: string) {
    const response = await fetch(`${harness.services[0]!.url}/payments/${orderId}/refund/retry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token ?? (await credentials.admin())}` },
    });
    const nonconforming = conforms({
      method: 'POST',
      path: new URL(response.url).pathname,
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: await response.clone().text(),
    });
    assert.deepEqual(nonconforming, [], 'the answer conforms to the OpenAPI document');
    return response;
  }

  const refundOf = async (orderId: string, status: string) =>
    eventually(`the refund to be ${status}`, async () => {
      const refund = (await harness.payments(orderId)).find((row) => row.kind === 'REFUND');
      return refund?.status === status && refund;
    });

  const metric = async (pattern: RegExp) => {
    const text = await (await fetch(`${harness.services[0]!.url}/metrics`)).text();
    return Number(text.match(pattern)?.[1] ?? 0);
  };

  it('emits payment.refund-failed, and a retry re-arms it until the gateway refunds', async () => {
    const refusedBefore = await metric(
      /^saga_payment_refunds_refused_total\{[^}]*reason="OUT_OF_STOCK"[^}]*\} (\d+)/m,
    );
    const created = sampleEvent('order.created', {
      orderId: randomUUID(),
      paymentMethod: { type: 'card', token: 'tok_ok' },
    });
    await harness.produce('order.created', created);
    await eventually('the charge', async () => {
      const [charge] = await harness.payments(created.orderId);
      return charge?.status === 'COMPLETED';
    });
    await harness.configureGateway({ refuseRefunds: true });
    try {
      const failure = sampleEvent('stock.reservation-failed', { orderId: created.orderId });
      await harness.produce('stock.reservation-failed', failure);
      const refused = await refundOf(created.orderId, 'FAILED');
      const [event, ...more] = await harness.emitted('payment.refund-failed', created.orderId);
      assert.equal(more.length, 0);
      assert.ok(event, 'payment.refund-failed emitted with the failed refund');
      assert.equal(event.reason, 'OUT_OF_STOCK');
      assert.equal(event.causationId, failure.eventId);
      assert.equal(event.amountMinor, created.amountMinor);
      assert.match(event.details, /^422: .*refused/);
      assert.equal(event.details, refused.details);
      assert.equal(
        await metric(
          /^saga_payment_refunds_refused_total\{[^}]*reason="OUT_OF_STOCK"[^}]*\} (\d+)/m,
        ),
        refusedBefore + 1,
      );

      // Retried while the gateway still refuses: refused again, and said again.
      const again = await retry(created.orderId);
      assert.equal(again.status, 200);
      assert.deepEqual(await again.json(), {
        orderId: created.orderId,
        refundId: refused.id,
        status: 'PENDING',
        reason: 'OUT_OF_STOCK',
      });
      await eventually('a second refusal', async () => {
        const events = await harness.emitted('payment.refund-failed', created.orderId);
        return events.length === 2;
      });
    } finally {
      await harness.configureGateway({ refuseRefunds: false });
    }

    await refundOf(created.orderId, 'FAILED');
    assert.equal((await retry(created.orderId)).status, 200);
    const refund = await refundOf(created.orderId, 'COMPLETED');
    assert.equal(refund.details, null, 'the old refusal is not kept on a completed refund');
    const [refunded] = await harness.emitted('payment.refunded', created.orderId);
    assert.equal(refunded?.refundId, refund.gatewayTransactionId);
    assert.ok(
      (await metric(
        /^saga_compensations_total\{[^}]*kind="refund"[^}]*reason="OUT_OF_STOCK"[^}]*\} (\d+)/m,
      )) >= 1,
    );

    const completed = await retry(created.orderId);
    assert.equal(completed.status, 409, 'a completed refund is not retried');
    assert.equal(
      ((await completed.json()) as { type: string }).type,
      '/problems/refund-not-failed',
    );
  });

  it('answers 404 when the order has no refund, 403 without the admin scope', async () => {
    const missing = await retry(randomUUID());
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { type: string }).type, '/problems/refund-not-found');
    const customer = await retry(randomUUID(), await credentials.customer('someone'));
    assert.equal(customer.status, 403);
  });
});
