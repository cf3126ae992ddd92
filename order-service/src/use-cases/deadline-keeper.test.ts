import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sampleEvent, until } from '@saga/shared/testing';
import type { SagaTopic } from '../domain/saga-state.js';
import {
  type OrderServiceUnderTest,
  orderBody,
  startOrderService,
} from '../testing/order-service-under-test.js';

interface OrderView {
  status: string;
  failureReason: string | null;
  timeline: { type: string }[];
}

describe('saga deadline', () => {
  let order: OrderServiceUnderTest;
  const productId = `lamp-${randomBytes(3).toString('hex')}`;

  before(async () => {
    order = await startOrderService({ SAGA_DEADLINE: '1', SAGA_DEADLINE_CHECK_INTERVAL_MS: '100' });
    await order.seedProducts([{ productId, priceMinor: 3_000 }]);
  });

  after(() => order.stop());

  async function placeOrder(): Promise<string> {
    const response = await order.postOrder(orderBody([{ productId, quantity: 1 }]));
    assert.equal(response.status, 202);
    return ((await response.json()) as { orderId: string }).orderId;
  }

  async function view(orderId: string): Promise<OrderView> {
    return (await (await order.request(`/orders/${orderId}`)).json()) as OrderView;
  }

  const apply = (orderId: string, topic: SagaTopic) =>
    order.apply(topic, sampleEvent(topic, { orderId, occurredAt: Date.now() }));

  async function deadlineCancellations(from: string): Promise<number> {
    const metrics = await (await fetch(`${order.url}/metrics`)).text();
    const line = new RegExp(
      `^saga_deadline_cancellations_total\\{[^}]*from="${from}"[^}]*\\} (\\d+)`,
      'm',
    );
    return Number(line.exec(metrics)?.[1] ?? 0);
  }

  it('cancels an order TIMED_OUT at its deadline, once, and says so in order.canceled', async () => {
    const before = await deadlineCancellations('PENDING');
    const orderId = await placeOrder();
    await until(async () => (await view(orderId)).status === 'CANCELED', 'canceled');

    const canceled = await view(orderId);
    assert.equal(canceled.failureReason, 'TIMED_OUT');
    const [announced, ...more] = await order.outbox('order.canceled', orderId);
    assert.equal(announced?.reason, 'TIMED_OUT');
    assert.equal(announced?.causationId, null);
    assert.deepEqual(more, []);
    // Counted once the cancellation has committed, a moment after it can be read.
    await until(async () => (await deadlineCancellations('PENDING')) === before + 1, 'counted');
    const { rows } = await order.db.pool.query<{ status: string; deadline: number }>(
      `SELECT s.status, extract(epoch FROM s.deadline_at - o.created_at) AS deadline
       FROM saga_instances s JOIN orders o ON o.id = s.order_id WHERE s.order_id = $1`,
      [orderId],
    );
    assert.deepEqual(rows, [{ status: 'CANCELED', deadline: '1.000000' }]);
  });

  it('changes nothing on a timed-out order when its late events arrive, but shows them', async () => {
    const orderId = await placeOrder();
    await until(async () => (await view(orderId)).status === 'CANCELED', 'canceled');
    await apply(orderId, 'payment.completed');
    await apply(orderId, 'stock.reserved');
    await apply(orderId, 'delivery.started');

    const late = await view(orderId);
    assert.equal(late.status, 'CANCELED');
    assert.equal(late.failureReason, 'TIMED_OUT');
    assert.deepEqual(late.timeline.map((entry) => entry.type).sort(), [
      'delivery.started',
      'order.canceled',
      'order.created',
      'payment.completed',
      'stock.reserved',
    ]);
    assert.deepEqual(await order.outbox('order.completed', orderId), []);
  });

  it('leaves an order that ended before its deadline as it ended', async () => {
    const orderId = await placeOrder();
    await apply(orderId, 'payment.failed');
    assert.equal((await view(orderId)).status, 'CANCELED');
    await sleep(1_500);
    const ended = await view(orderId);
    assert.equal(ended.failureReason, 'PAYMENT_DECLINED');
    assert.equal((await order.outbox('order.canceled', orderId)).length, 1);
  });
});
