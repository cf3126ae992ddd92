import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { outbox } from '@saga/shared/db';
import type { Topic, TopicEvents } from '@saga/shared/events';
import { newEventId } from '@saga/shared/outbox';
import {
  consumeMessages,
  type ServiceUnderTest,
  sampleEvent,
  startServiceUnderTest,
} from '@saga/shared/testing';
import { eq } from 'drizzle-orm';
import { loadServiceConfig } from './config.js';
import { deliveries } from './db/schema.js';
import { carrierRoll } from './domain/delivery-decision.js';
import { createDefinition } from './service.js';

const FAILURE_RATE = 0.5;
const SEED = 'component-test';

/** An order id the carrier rejects (or accepts) under the test's seed and rate. */
function orderIdRejected(rejected: boolean): string {
  for (;;) {
    const orderId = randomUUID();
    if (carrierRoll(SEED, orderId) < FAILURE_RATE === rejected) return orderId;
  }
}

function stockReserved(orderId: string, postalCode = '1000-001'): TopicEvents['stock.reserved'] {
  const sample = sampleEvent('stock.reserved', {});
  return {
    ...sample,
    eventId: newEventId(),
    orderId,
    occurredAt: Date.now(),
    shippingAddress: { ...sample.shippingAddress, postalCode },
  };
}

describe('delivery-service', () => {
  let service: ServiceUnderTest;

  before(async () => {
    service = await startServiceUnderTest({
      define: (env) => createDefinition(loadServiceConfig({ env })),
      env: { DELIVERY_FAILURE_RATE: String(FAILURE_RATE), DELIVERY_SEED: SEED },
    });
  });

  after(() => service?.stop());

  const produce = (event: TopicEvents['stock.reserved']) =>
    service.publish('stock.reserved', event);
  const processed = (eventId: string) => service.processed(eventId);

  const deliveriesOf = (orderId: string) =>
    service.database.db.select().from(deliveries).where(eq(deliveries.orderId, orderId));

  /** The outbox events of an order, without the fields that differ on every run. */
  async function outboxOf(orderId: string) {
    const rows = await service.database.db.select().from(outbox).where(eq(outbox.key, orderId));
    return Promise.all(
      rows.map(async (row) => {
        const { eventId, occurredAt, ...value } = await service.codec.decode(
          row.topic as Topic,
          row.payload,
        );
        assert.equal(row.eventId, eventId);
        assert.ok(Math.abs(Date.now() - occurredAt) < 60_000);
        return { topic: row.topic, value: value as Record<string, unknown> };
      }),
    );
  }

  it('starts the delivery of a reserved order and emits delivery.started', async () => {
    const orderId = orderIdRejected(false);
    const event = stockReserved(orderId);
    await produce(event);
    await processed(event.eventId);

    const [delivery, ...more] = await deliveriesOf(orderId);
    assert.equal(more.length, 0);
    assert.equal(delivery?.status, 'STARTED');
    assert.equal(delivery?.postalCode, '1000-001');
    assert.equal(delivery?.reason, null);
    assert.deepEqual(await outboxOf(orderId), [
      {
        topic: 'delivery.started',
        value: {
          orderId,
          causationId: event.eventId,
          deliveryId: delivery?.id,
          postalCode: '1000-001',
        },
      },
    ]);

    const published = await consumeMessages(
      service.kafka,
      [`${service.prefix}delivery.started`],
      (received) => received.some((message) => message.key === orderId),
    );
    assert.equal(
      published.find((message) => message.key === orderId)?.headers['event-type'],
      'delivery.started',
    );
  });

  async function assertFailedDelivery(
    orderId: string,
    postalCode: string | undefined,
    reason: string,
  ) {
    const event = stockReserved(orderId, postalCode);
    await produce(event);
    await processed(event.eventId);

    const [delivery] = await deliveriesOf(orderId);
    assert.equal(delivery?.status, 'FAILED');
    assert.equal(delivery?.reason, reason);
    assert.deepEqual(await outboxOf(orderId), [
      {
        topic: 'delivery.failed',
        value: { orderId, causationId: event.eventId, deliveryId: delivery?.id, reason },
      },
    ]);
  }

  it('fails the delivery to postal code 00000 as an undeliverable address', async () => {
    await assertFailedDelivery(orderIdRejected(false), '00000', 'UNDELIVERABLE_ADDRESS');
  });

  it('fails the delivery of an order the carrier rejects', async () => {
    await assertFailedDelivery(orderIdRejected(true), undefined, 'CARRIER_REJECTED');
  });

  it('creates one delivery and one outcome however often stock is reported reserved', async () => {
    const orderId = orderIdRejected(false);
    const first = stockReserved(orderId);
    const again = stockReserved(orderId, '2000-002'); // another event for the same order
    await produce(first);
    await produce(first); // redelivered as is
    await produce(again);
    // Same key, same partition: once the last one is processed, so are the ones before it.
    await processed(again.eventId);

    const rows = await deliveriesOf(orderId);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.postalCode, '1000-001');
    assert.deepEqual(
      (await outboxOf(orderId)).map((event) => [event.topic, event.value.causationId]),
      [['delivery.started', first.eventId]],
    );
  });
});
