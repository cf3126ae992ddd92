import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DLQ_HEADERS } from '@saga/shared/consumer';
import { newEventId } from '@saga/shared/outbox';
import { consumeMessages, sampleEvent } from '@saga/shared/testing';
import { isTerminal } from '../domain/order-status.js';
import { deriveSagaState, type SagaTopic } from '../domain/saga-state.js';
import {
  type OrderServiceUnderTest,
  orderBody,
  startOrderService,
} from '../testing/order-service-under-test.js';

interface OrderView {
  status: string;
  failureReason: string | null;
  timeline: { type: string; service: string; eventId: string; at: string }[];
}

describe('order saga', () => {
  let order: OrderServiceUnderTest;
  const productId = `cup-${randomBytes(3).toString('hex')}`;

  before(async () => {
    order = await startOrderService();
    await order.seedProducts([{ productId, priceMinor: 1250 }]);
  });

  after(() => order.stop());

  async function placeOrder(): Promise<string> {
    const response = await order.postOrder(orderBody([{ productId, quantity: 2 }]));
    assert.equal(response.status, 202);
    return ((await response.json()) as { orderId: string }).orderId;
  }

  async function view(orderId: string): Promise<OrderView> {
    return (await (await order.request(`/orders/${orderId}`)).json()) as OrderView;
  }

  /** Sends one saga event and waits until the service has applied it. */
  async function deliver(orderId: string, topic: SagaTopic): Promise<string> {
    const event = sampleEvent(topic, { orderId, occurredAt: Date.now() });
    await order.apply(topic, event);
    return event.eventId;
  }

  async function endings(orderId: string) {
    return {
      completed: await order.outbox('order.completed', orderId),
      canceled: await order.outbox('order.canceled', orderId),
    };
  }

  const flows: {
    name: string;
    arrivals: SagaTopic[];
    status: string;
    failureReason: string | null;
  }[] = [
    {
      name: 'completes an order on the happy path',
      arrivals: ['payment.completed', 'stock.reserved', 'delivery.started'],
      status: 'COMPLETED',
      failureReason: null,
    },
    {
      name: 'completes an order whose delivery news arrives first',
      arrivals: ['delivery.started', 'payment.completed', 'stock.reserved'],
      status: 'COMPLETED',
      failureReason: null,
    },
    {
      name: 'cancels an order whose payment was declined',
      arrivals: ['payment.failed'],
      status: 'CANCELED',
      failureReason: 'PAYMENT_DECLINED',
    },
    {
      name: 'cancels an out-of-stock order once the refund is seen',
      arrivals: ['payment.completed', 'stock.reservation-failed', 'payment.refunded'],
      status: 'CANCELED',
      failureReason: 'OUT_OF_STOCK',
    },
    {
      name: 'cancels an out-of-stock order whose refund and failure arrive before the payment',
      arrivals: ['payment.refunded', 'stock.reservation-failed', 'payment.completed'],
      status: 'CANCELED',
      failureReason: 'OUT_OF_STOCK',
    },
    {
      name: 'cancels an undeliverable order once both compensations are seen',
      arrivals: [
        'payment.completed',
        'stock.reserved',
        'delivery.failed',
        'stock.released',
        'payment.refunded',
      ],
      status: 'CANCELED',
      failureReason: 'DELIVERY_FAILED',
    },
    {
      name: 'cancels an undeliverable order whose compensations arrive before everything else',
      arrivals: [
        'payment.refunded',
        'stock.released',
        'delivery.failed',
        'stock.reserved',
        'payment.completed',
      ],
      status: 'CANCELED',
      failureReason: 'DELIVERY_FAILED',
    },
  ];

  for (const flow of flows) {
    it(`${flow.name}: ${flow.arrivals.join(', ')}`, async () => {
      const orderId = await placeOrder();
      const eventIds: string[] = [];
      for (const topic of flow.arrivals) eventIds.push(await deliver(orderId, topic));

      const final = await view(orderId);
      assert.equal(final.status, flow.status);
      assert.equal(final.failureReason, flow.failureReason);
      const { completed, canceled } = await endings(orderId);
      const ended = flow.status === 'COMPLETED' ? completed : canceled;
      assert.equal(completed.length + canceled.length, 1, 'exactly one terminal event');
      const [end] = ended;
      // The first fact that completed the picture ended the saga.
      const endedBy = flow.arrivals.findIndex((_, index) =>
        isTerminal(deriveSagaState(new Set(flow.arrivals.slice(0, index + 1))).status),
      );
      assert.equal(end?.causationId, eventIds[endedBy]);
      if (canceled[0]) assert.equal(canceled[0].reason, flow.failureReason);
      if (completed[0]) assert.equal(completed[0].amountMinor, 2500);

      assert.deepEqual(
        final.timeline.map((entry) => entry.type).sort(),
        [
          'order.created',
          ...flow.arrivals,
          flow.status === 'COMPLETED' ? 'order.completed' : 'order.canceled',
        ].sort(),
      );
      assert.ok(
        final.timeline.every((entry) => entry.service === expectedProducer(entry.type)),
        JSON.stringify(final.timeline),
      );
      const saga = await order.db.pool.query(
        'SELECT status, current_step, completed_at IS NOT NULL AS ended FROM saga_instances WHERE order_id = $1',
        [orderId],
      );
      assert.deepEqual(saga.rows, [{ status: flow.status, current_step: 'done', ended: true }]);
    });
  }

  it('keeps an ended order as it is when a late or repeated fact arrives', async () => {
    const orderId = await placeOrder();
    for (const topic of ['payment.completed', 'stock.reserved', 'delivery.started'] as const) {
      await deliver(orderId, topic);
    }
    const { rows: before } = await order.db.pool.query('SELECT version FROM orders WHERE id = $1', [
      orderId,
    ]);
    await deliver(orderId, 'delivery.started'); // the same fact again, under a new event id
    await deliver(orderId, 'delivery.failed'); // contradicts an ended saga
    const final = await view(orderId);
    assert.equal(final.status, 'COMPLETED');
    const { rows: afterwards } = await order.db.pool.query(
      'SELECT version FROM orders WHERE id = $1',
      [orderId],
    );
    assert.deepEqual(afterwards, before);
    assert.equal((await endings(orderId)).completed.length, 1);
    const metrics = await (await fetch(`${order.url}/metrics`)).text();
    assert.match(
      metrics,
      /saga_order_saga_events_total\{[^}]*topic="delivery.failed"[^}]*outcome="stale"/,
    );
    // Ended once, however many facts arrived after: counted when it ended, by outcome.
    assert.match(metrics, /saga_duration_seconds_count\{(?=[^}]*outcome="COMPLETED")[^}]*\} [1-9]/);
  });

  it('applies a re-delivered event once', async () => {
    const orderId = await placeOrder();
    const event = sampleEvent('payment.completed', { orderId, occurredAt: Date.now() });
    await order.send('payment.completed', event);
    await order.send('payment.completed', event);
    const marker = await deliver(orderId, 'payment.refunded');
    assert.ok(marker);
    const final = await view(orderId);
    assert.equal(final.status, 'PAID');
    assert.equal(final.timeline.filter((entry) => entry.type === 'payment.completed').length, 1);
    const { rows } = await order.db.pool.query('SELECT version FROM orders WHERE id = $1', [
      orderId,
    ]);
    assert.deepEqual(rows, [{ version: 2 }]);
  });

  it('dead-letters a saga event for an unknown order', async () => {
    const unknown = randomUUID();
    const event = sampleEvent('payment.completed', { orderId: unknown, eventId: newEventId() });
    await order.send('payment.completed', event);
    const { kafka, settings } = order.service.context;
    const [letter] = await consumeMessages(
      kafka,
      [`${settings.KAFKA_TOPIC_PREFIX}order.dlq`],
      (received) => received.some((message) => message.key === unknown),
    );
    assert.equal(letter?.headers[DLQ_HEADERS.errorType], 'ImpossibleEventError');
    assert.equal(letter?.headers[DLQ_HEADERS.attempts], '1');
  });
});

function expectedProducer(type: string): string {
  if (type.startsWith('order.')) return 'order';
  if (type.startsWith('payment.')) return 'payment';
  if (type.startsWith('stock.')) return 'inventory';
  return 'delivery';
}
