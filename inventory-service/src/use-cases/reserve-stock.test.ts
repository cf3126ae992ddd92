import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DLQ_HEADERS } from '@saga/shared/consumer';
import type { ItemQuantity } from '@saga/shared/events';
import { consumeMessages, sampleEvent } from '@saga/shared/testing';
import {
  eventually,
  type InventoryUnderTest,
  startInventory,
} from '../testing/inventory-under-test.js';

describe('reserving stock on payment.completed', () => {
  let inventory: InventoryUnderTest;

  before(async () => {
    inventory = await startInventory();
  });

  after(async () => {
    await inventory.stop();
  });

  function paid(items: ItemQuantity[], orderId = randomUUID()) {
    return sampleEvent('payment.completed', { orderId, items });
  }

  async function settled(orderId: string) {
    await eventually(`a reservation of ${orderId}`, async () =>
      Boolean(await inventory.reservationOf(orderId)),
    );
    return (await inventory.reservationOf(orderId))!;
  }

  it('reserves every line of a paid order and publishes stock.reserved', async () => {
    await inventory.putProduct('cup', 10);
    await inventory.putProduct('saucer', 5);
    const payment = paid([
      { productId: 'saucer', quantity: 1 },
      { productId: 'cup', quantity: 2 },
    ]);
    await inventory.produce('payment.completed', payment);

    const reservation = await settled(payment.orderId);
    assert.equal(reservation.status, 'RESERVED');
    assert.deepEqual(await inventory.stockOf('cup'), { available: 8, reserved: 2 });
    assert.deepEqual(await inventory.stockOf('saucer'), { available: 4, reserved: 1 });

    const [message] = await consumeMessages(
      inventory.service.context.kafka,
      [`${inventory.service.context.settings.KAFKA_TOPIC_PREFIX}stock.reserved`],
      (received) => received.some((m) => m.key === payment.orderId),
    );
    assert.equal(message?.key, payment.orderId);
    const event = await inventory.service.context.codec.decode('stock.reserved', message!.value);
    assert.deepEqual(
      { ...event, eventId: undefined, occurredAt: undefined },
      {
        eventId: undefined,
        orderId: payment.orderId,
        occurredAt: undefined,
        causationId: payment.eventId,
        reservationId: reservation.id,
        items: [
          { productId: 'cup', quantity: 2 },
          { productId: 'saucer', quantity: 1 },
        ],
        shippingAddress: payment.shippingAddress,
      },
    );
  });

  it('reserves nothing when the second line is short, and says so', async () => {
    await inventory.putProduct('kettle', 10);
    await inventory.putProduct('toaster', 2);
    const payment = paid([
      { productId: 'kettle', quantity: 4 },
      { productId: 'toaster', quantity: 3 },
    ]);
    await inventory.produce('payment.completed', payment);

    const reservation = await settled(payment.orderId);
    assert.deepEqual(
      { status: reservation.status, reason: reservation.reason },
      { status: 'FAILED', reason: 'OUT_OF_STOCK' },
    );
    assert.deepEqual(await inventory.stockOf('kettle'), { available: 10, reserved: 0 });
    assert.deepEqual(await inventory.stockOf('toaster'), { available: 2, reserved: 0 });
    const failures = (await inventory.emitted('stock.reservation-failed')).filter(
      (event) => event.orderId === payment.orderId,
    );
    assert.deepEqual(
      failures.map(({ causationId, reason, items }) => ({ causationId, reason, items })),
      [{ causationId: payment.eventId, reason: 'OUT_OF_STOCK', items: payment.items }],
    );
    const reserved = (await inventory.emitted('stock.reserved')).filter(
      (event) => event.orderId === payment.orderId,
    );
    assert.equal(reserved.length, 0);
  });

  it('fails the reservation of an order naming an unknown product', async () => {
    await inventory.putProduct('spoon', 10);
    const payment = paid([
      { productId: 'spoon', quantity: 1 },
      { productId: 'unicorn', quantity: 1 },
    ]);
    await inventory.produce('payment.completed', payment);

    const reservation = await settled(payment.orderId);
    assert.deepEqual(
      { status: reservation.status, reason: reservation.reason },
      { status: 'FAILED', reason: 'UNKNOWN_PRODUCT' },
    );
    assert.deepEqual(await inventory.stockOf('spoon'), { available: 10, reserved: 0 });
    const [failure] = (await inventory.emitted('stock.reservation-failed')).filter(
      (event) => event.orderId === payment.orderId,
    );
    assert.equal(failure?.reason, 'UNKNOWN_PRODUCT');
  });

  it('reserves an order once when payment.completed arrives again under a new event id', async () => {
    await inventory.putProduct('fork', 10);
    const first = paid([{ productId: 'fork', quantity: 3 }]);
    const again = { ...first, eventId: sampleEvent('payment.completed').eventId };
    await inventory.produce('payment.completed', first);
    await inventory.produce('payment.completed', again);
    await inventory.processed(first.eventId);
    await inventory.processed(again.eventId);

    assert.equal((await inventory.reservationOf(first.orderId))?.status, 'RESERVED');
    assert.deepEqual(await inventory.stockOf('fork'), { available: 7, reserved: 3 });
    const reserved = (await inventory.emitted('stock.reserved')).filter(
      (event) => event.orderId === first.orderId,
    );
    assert.equal(reserved.length, 1);
  });

  it('dead-letters a paid order with a quantity that is not positive, taking no stock', async () => {
    await inventory.putProduct('plate', 4);
    const payment = paid([{ productId: 'plate', quantity: 0 }]);
    await inventory.produce('payment.completed', payment);

    const { kafka, settings } = inventory.service.context;
    const [letter] = await consumeMessages(
      kafka,
      [`${settings.KAFKA_TOPIC_PREFIX}inventory.dlq`],
      (received) => received.some((message) => message.key === payment.orderId),
    );
    assert.equal(letter?.headers[DLQ_HEADERS.errorType], 'ImpossibleEventError');
    assert.equal(await inventory.reservationOf(payment.orderId), undefined);
    assert.deepEqual(await inventory.stockOf('plate'), { available: 4, reserved: 0 });
  });

  it('sells a hot deal of 10 units to exactly 10 of 100 concurrent orders', async () => {
    await inventory.putProduct('hot-deal', 10);
    const payments = Array.from({ length: 100 }, () =>
      paid([{ productId: 'hot-deal', quantity: 1 }]),
    );
    const orderIds = payments.map((payment) => payment.orderId);
    const lowest = { available: 10, reserved: 0 };
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const stock = (await inventory.stockOf('hot-deal'))!;
        lowest.available = Math.min(lowest.available, stock.available);
        lowest.reserved = Math.min(lowest.reserved, stock.reserved);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.all(payments.map((payment) => inventory.produce('payment.completed', payment)));

    const count = async () => {
      const { rows } = await inventory.database.pool.query<{ status: string; count: number }>(
        `SELECT status, count(*)::int AS count FROM stock_reservations
          WHERE order_id = ANY($1) GROUP BY status ORDER BY status`,
        [orderIds],
      );
      return rows;
    };
    await eventually(
      '100 reservations',
      async () => (await count()).reduce((sum, row) => sum + row.count, 0) === 100,
    );
    watching = false;
    await watcher;

    assert.deepEqual(await count(), [
      { status: 'FAILED', count: 90 },
      { status: 'RESERVED', count: 10 },
    ]);
    assert.deepEqual(await inventory.stockOf('hot-deal'), { available: 0, reserved: 10 });
    assert.ok(lowest.available >= 0 && lowest.reserved >= 0);
    const reserved = (await inventory.emitted('stock.reserved')).filter((event) =>
      orderIds.includes(event.orderId),
    );
    assert.equal(reserved.length, 10);
    const failed = (await inventory.emitted('stock.reservation-failed')).filter((event) =>
      orderIds.includes(event.orderId),
    );
    assert.equal(failed.length, 90);
    assert.ok(failed.every((event) => event.reason === 'OUT_OF_STOCK'));
  });
});
