import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DLQ_HEADERS } from '@saga/shared/consumer';
import { consumeMessages, sampleEvent } from '@saga/shared/testing';
import {
  eventually,
  type InventoryUnderTest,
  startInventory,
} from '../testing/inventory-under-test.js';

describe('releasing stock on delivery.failed', () => {
  let inventory: InventoryUnderTest;

  before(async () => {
    inventory = await startInventory();
  });

  after(async () => {
    await inventory.stop();
  });

  /** Pays an order for `quantity` of `productId` and waits for its reservation. */
  async function paidOrder(productId: string, quantity: number) {
    const payment = sampleEvent('payment.completed', {
      orderId: randomUUID(),
      items: [{ productId, quantity }],
    });
    await inventory.produce('payment.completed', payment);
    await eventually('the reservation', async () =>
      Boolean(await inventory.reservationOf(payment.orderId)),
    );
    return payment;
  }

  function deliveryFailed(orderId: string) {
    return sampleEvent('delivery.failed', { orderId });
  }

  async function released(orderId: string) {
    return (await inventory.emitted('stock.released')).filter((event) => event.orderId === orderId);
  }

  async function staleReleases() {
    const metrics = await (await fetch(`${inventory.url}/metrics`)).text();
    const line = metrics
      .split('\n')
      .find((text) =>
        /^saga_inventory_stock_events_total\{.*topic="delivery.failed",outcome="stale"/.test(text),
      );
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  it('gives reserved stock back once, even when delivery.failed arrives again', async () => {
    await inventory.putProduct('lamp', 5);
    const payment = await paidOrder('lamp', 2);
    assert.deepEqual(await inventory.stockOf('lamp'), { available: 3, reserved: 2 });
    const reservation = (await inventory.reservationOf(payment.orderId))!;

    const failure = deliveryFailed(payment.orderId);
    await inventory.produce('delivery.failed', failure);
    await inventory.processed(failure.eventId);
    const again = deliveryFailed(payment.orderId);
    await inventory.produce('delivery.failed', again);
    await inventory.processed(again.eventId);

    assert.deepEqual(await inventory.reservationOf(payment.orderId), {
      id: reservation.id,
      status: 'RELEASED',
      reason: 'DELIVERY_FAILED',
    });
    assert.deepEqual(await inventory.stockOf('lamp'), { available: 5, reserved: 0 });
    const events = await released(payment.orderId);
    assert.deepEqual(
      events.map(({ causationId, reservationId, items, reason }) => ({
        causationId,
        reservationId,
        items,
        reason,
      })),
      [
        {
          causationId: failure.eventId,
          reservationId: reservation.id,
          items: [{ productId: 'lamp', quantity: 2 }],
          reason: 'DELIVERY_FAILED',
        },
      ],
    );
  });

  it('releases nothing for an order whose reservation failed', async () => {
    await inventory.putProduct('rug', 1);
    const payment = await paidOrder('rug', 2);
    assert.equal((await inventory.reservationOf(payment.orderId))?.status, 'FAILED');

    const staleBefore = await staleReleases();
    const failure = deliveryFailed(payment.orderId);
    await inventory.produce('delivery.failed', failure);
    await inventory.processed(failure.eventId);

    assert.equal((await inventory.reservationOf(payment.orderId))?.status, 'FAILED');
    assert.deepEqual(await inventory.stockOf('rug'), { available: 1, reserved: 0 });
    assert.deepEqual(await released(payment.orderId), []);
    await eventually(
      'the refused release counted',
      async () => (await staleReleases()) === staleBefore + 1,
    );
  });

  it('dead-letters delivery.failed for an order it never reserved', async () => {
    const failure = deliveryFailed(randomUUID());
    await inventory.produce('delivery.failed', failure);

    const { kafka, settings } = inventory.service.context;
    const [letter] = await consumeMessages(
      kafka,
      [`${settings.KAFKA_TOPIC_PREFIX}inventory.dlq`],
      (received) => received.some((message) => message.key === failure.orderId),
    );
    assert.equal(letter?.headers[DLQ_HEADERS.errorType], 'ImpossibleEventError');
    assert.match(letter?.headers[DLQ_HEADERS.error] ?? '', /no stock reservation/);
  });
});
