import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DLQ_HEADERS } from '@saga/shared/consumer';
import { processedEvents } from '@saga/shared/db';
import { consumeMessages, sampleEvent } from '@saga/shared/testing';
import { inArray } from 'drizzle-orm';
import {
  eventually,
  type PaymentHarness,
  startPaymentHarness,
} from './testing/payment-service-under-test.js';

describe('payment-service', () => {
  let harness: PaymentHarness;

  before(async () => {
    harness = await startPaymentHarness();
  });

  after(() => harness.stop());

  /** Places an order paid with `token` and waits until its charge is settled either way. */
  async function placeOrder(token: string) {
    const created = sampleEvent('order.created', {
      orderId: randomUUID(),
      paymentMethod: { type: 'card', token },
    });
    await harness.produce('order.created', created);
    const charge = await eventually('the charge to settle', async () => {
      const [charge] = await harness.payments(created.orderId);
      return charge && charge.status !== 'PENDING' && charge;
    });
    return { created, charge };
  }

  it('charges an approved card and emits payment.completed with everything downstream needs', async () => {
    const { created, charge } = await placeOrder('tok_ok');
    assert.equal(charge.status, 'COMPLETED');
    assert.equal(charge.kind, 'CHARGE');
    assert.equal(charge.paymentToken, null, 'the token is not kept past settlement');
    assert.equal(charge.version, 2);
    const [completed, ...more] = await harness.emitted('payment.completed', created.orderId);
    assert.equal(more.length, 0);
    assert.ok(completed);
    assert.deepEqual(
      { ...completed, eventId: undefined, occurredAt: undefined },
      {
        eventId: undefined,
        occurredAt: undefined,
        orderId: created.orderId,
        causationId: created.eventId,
        customerId: created.customerId,
        paymentId: charge.id,
        gatewayTransactionId: charge.gatewayTransactionId,
        amountMinor: created.amountMinor,
        currency: created.currency,
        items: created.items.map(({ productId, quantity }) => ({ productId, quantity })),
        shippingAddress: created.shippingAddress,
      },
    );
    const charges = await harness.gatewayCharges(created.orderId);
    assert.deepEqual(
      charges.map((c) => [c.chargeId, c.status]),
      [[charge.gatewayTransactionId, 'succeeded']],
    );
  });

  it('fails a declined card and emits payment.failed with the decline code', async () => {
    const { created, charge } = await placeOrder('tok_decline');
    assert.equal(charge.status, 'FAILED');
    const [failed] = await harness.emitted('payment.failed', created.orderId);
    assert.equal(failed?.reason, 'PAYMENT_DECLINED');
    assert.equal(failed?.details, 'card_declined');
    assert.equal(failed?.causationId, created.eventId);
    assert.equal(failed?.amountMinor, created.amountMinor);
    assert.deepEqual(await harness.emitted('payment.completed', created.orderId), []);
  });

  it('settles a charge whose answer timed out as completed, charged exactly once', async () => {
    const { created, charge } = await placeOrder('tok_timeout_charged');
    assert.equal(charge.status, 'COMPLETED');
    assert.ok(charge.attempts >= 2, `attempts ${charge.attempts}`);
    const charges = await harness.gatewayCharges(created.orderId);
    assert.equal(charges.length, 1);
    assert.equal(charges[0]?.chargeId, charge.gatewayTransactionId);
    assert.equal((await harness.emitted('payment.completed', created.orderId)).length, 1);
  });

  it('records one charge for an order however often order.created arrives', async () => {
    const { created } = await placeOrder('tok_ok');
    const republished = { ...created, eventId: randomUUID() };
    await harness.produce('order.created', created); // redelivery: same eventId
    await harness.produce('order.created', republished); // re-publication: a new eventId
    await eventually('both copies to be handled', () => handled(republished.eventId));
    assert.equal((await harness.payments(created.orderId)).length, 1);
    assert.equal((await harness.gatewayCharges(created.orderId)).length, 1);
    assert.equal((await harness.emitted('payment.completed', created.orderId)).length, 1);
  });

  it('refunds once for OUT_OF_STOCK, however many refund triggers follow', async () => {
    const { created, charge } = await placeOrder('tok_ok');
    const failed = sampleEvent('stock.reservation-failed', { orderId: created.orderId });
    const again = { ...failed, eventId: randomUUID() };
    const deliveryFailed = sampleEvent('delivery.failed', { orderId: created.orderId });
    await harness.produce('stock.reservation-failed', failed);
    await eventually('the first trigger to be handled', () => handled(failed.eventId));
    // Then a re-publication and the other failure, on another topic.
    await harness.produce('stock.reservation-failed', again);
    await harness.produce('delivery.failed', deliveryFailed);
    await eventually('every trigger to be handled', () =>
      handled(again.eventId, deliveryFailed.eventId),
    );
    const refund = await settledRefund(created.orderId);

    assert.equal(refund.status, 'COMPLETED');
    assert.equal(refund.reason, 'OUT_OF_STOCK');
    const rows = await harness.payments(created.orderId);
    assert.deepEqual(rows.map((row) => row.kind).sort(), ['CHARGE', 'REFUND']);
    const [gatewayCharge] = await harness.gatewayCharges(created.orderId);
    assert.deepEqual(
      gatewayCharge?.refunds.map((r) => [r.refundId, r.amountMinor]),
      [[refund.gatewayTransactionId, created.amountMinor]],
    );
    const refunded = await harness.emitted('payment.refunded', created.orderId);
    assert.equal(refunded.length, 1);
    assert.deepEqual(
      { ...refunded[0], eventId: undefined, occurredAt: undefined },
      {
        eventId: undefined,
        occurredAt: undefined,
        orderId: created.orderId,
        causationId: failed.eventId,
        customerId: created.customerId,
        paymentId: charge.id,
        refundId: refund.gatewayTransactionId,
        amountMinor: created.amountMinor,
        currency: created.currency,
        reason: 'OUT_OF_STOCK',
      },
    );
  });

  it('refunds for DELIVERY_FAILED after a delivery failed', async () => {
    const { created } = await placeOrder('tok_ok');
    const failed = sampleEvent('delivery.failed', { orderId: created.orderId });
    await harness.produce('delivery.failed', failed);
    const refund = await settledRefund(created.orderId);
    assert.equal(refund.status, 'COMPLETED');
    assert.equal(refund.reason, 'DELIVERY_FAILED');
    const [refunded] = await harness.emitted('payment.refunded', created.orderId);
    assert.equal(refunded?.reason, 'DELIVERY_FAILED');
    assert.equal(refunded?.causationId, failed.eventId);
  });

  it('refunds nothing for an order whose charge was declined', async () => {
    const { created } = await placeOrder('tok_decline');
    const failed = sampleEvent('delivery.failed', { orderId: created.orderId });
    await harness.produce('delivery.failed', failed);
    await eventually('the trigger to be handled', () => handled(failed.eventId));
    assert.deepEqual(
      (await harness.payments(created.orderId)).map((row) => row.kind),
      ['CHARGE'],
    );
  });

  it('dead-letters a refund trigger for an order it never charged', async () => {
    const orderId = randomUUID();
    await harness.produce('delivery.failed', sampleEvent('delivery.failed', { orderId }));
    const [letter] = await consumeMessages(
      harness.kafka,
      [`${harness.prefix}payment.dlq`],
      (received) => received.some((message) => message.key === orderId),
    ).then((received) => received.filter((message) => message.key === orderId));
    assert.equal(letter?.headers[DLQ_HEADERS.errorType], 'ImpossibleEventError');
    assert.deepEqual(await harness.payments(orderId), []);
  });

  /** The order's refund once settled. */
  async function settledRefund(orderId: string) {
    return eventually('the refund to settle', async () => {
      const refund = (await harness.payments(orderId)).find((row) => row.kind === 'REFUND');
      return refund && refund.status !== 'PENDING' && refund;
    });
  }

  /**
   * Whether the inbox holds every one of these events. Events with one key on one topic are
   * consumed in order, so a later one being in means the copies produced before it were handled.
   */
  async function handled(...eventIds: string[]) {
    const rows = await harness.database.db
      .select()
      .from(processedEvents)
      .where(inArray(processedEvents.eventId, eventIds));
    return rows.length === eventIds.length;
  }
});
