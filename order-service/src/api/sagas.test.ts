import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Topic, TopicEvents } from '@saga/shared/events';
import { sampleEvent, until } from '@saga/shared/testing';
import {
  type OrderServiceUnderTest,
  orderBody,
  startOrderService,
} from '../testing/order-service-under-test.js';

interface Saga {
  orderId: string;
  status: string;
  failureReason: string | null;
  ageSeconds: number;
  deadline: string;
  lastEvent: { type: string; service: string; at: string } | null;
  waitingFor: { event: string; service: string }[];
  compensationFailure: string | null;
  timeline?: { type: string }[];
}

describe('GET /sagas', () => {
  let order: OrderServiceUnderTest;
  const productId = `mug-${randomBytes(3).toString('hex')}`;

  const placeOrder = async () => {
    const response = await order.postOrder(orderBody([{ productId, quantity: 1 }]));
    assert.equal(response.status, 202);
    return ((await response.json()) as { orderId: string }).orderId;
  };
  const stuck = async (query: string) => {
    const response = await order.request(`/sagas?${query}`);
    assert.equal(response.status, 200);
    return ((await response.json()) as { items: Saga[] }).items;
  };
  const saga = async (orderId: string) => {
    const response = await order.request(`/sagas/${orderId}`);
    assert.equal(response.status, 200);
    return (await response.json()) as Saga;
  };
  /** Sends a saga event for `orderId` and waits until its fact is on the saga's timeline. */
  const happen = async <T extends Topic>(
    topic: T,
    orderId: string,
    overrides: Partial<TopicEvents[T]> = {},
  ) => {
    const event = sampleEvent(topic, {
      orderId,
      occurredAt: Date.now(),
      ...overrides,
    } as Partial<TopicEvents[T]>);
    await order.send(topic, event);
    await until(
      async () => (await saga(orderId)).timeline?.some((entry) => entry.type === topic) ?? false,
      `${topic} recorded`,
    );
  };

  before(async () => {
    order = await startOrderService();
    await order.seedProducts([{ productId, priceMinor: 900 }]);
  });

  after(() => order.stop());

  it('lists an open saga with what it waits for, its age, deadline and last event', async () => {
    const orderId = await placeOrder();
    const listed = (await stuck('stuckFor=0&limit=500')).find((item) => item.orderId === orderId);
    assert.ok(listed, 'the open saga is listed with stuckFor=0');
    assert.equal(listed.status, 'PENDING');
    assert.equal(listed.failureReason, null);
    assert.ok(listed.ageSeconds >= 0 && listed.ageSeconds < 60, `age ${listed.ageSeconds}`);
    assert.ok(Date.parse(listed.deadline) > Date.now(), 'the deadline is ahead');
    assert.deepEqual(
      { type: listed.lastEvent?.type, service: listed.lastEvent?.service },
      { type: 'order.created', service: 'order' },
    );
    assert.deepEqual(listed.waitingFor, [{ event: 'payment.completed', service: 'payment' }]);
    assert.equal(listed.compensationFailure, null);

    const recent = await stuck('stuckFor=3600&limit=500');
    assert.ok(!recent.some((item) => item.orderId === orderId), 'not stuck for an hour yet');

    await happen('payment.completed', orderId);
    const paid = await saga(orderId);
    assert.equal(paid.status, 'PAID');
    assert.deepEqual(paid.waitingFor, [{ event: 'stock.reserved', service: 'inventory' }]);
    assert.equal(paid.lastEvent?.type, 'payment.completed');
    assert.deepEqual(
      paid.timeline?.map((entry) => entry.type),
      ['order.created', 'payment.completed'],
    );
  });

  it('shows a refused refund as stuck with its reason whatever the wait, until it is refunded', async () => {
    const orderId = await placeOrder();
    await happen('payment.completed', orderId);
    await happen('stock.reservation-failed', orderId);
    await happen('payment.refund-failed', orderId, { details: '422: charge already refunded' });

    const refused = (await stuck('stuckFor=3600&limit=500')).find((s) => s.orderId === orderId);
    assert.ok(refused, 'a refused refund is stuck even when the saga moved a moment ago');
    assert.equal(refused.status, 'COMPENSATING', 'a refused refund moves nothing');
    assert.deepEqual(refused.waitingFor, [{ event: 'payment.refunded', service: 'payment' }]);
    assert.equal(refused.compensationFailure, '422: charge already refunded');
    assert.equal(refused.lastEvent?.type, 'payment.refund-failed');

    // Refused again (a retry the gateway refused too): the last reason is the one shown.
    await order.send(
      'payment.refund-failed',
      sampleEvent('payment.refund-failed', { orderId, details: '404: charge unknown' }),
    );
    await until(
      async () => (await saga(orderId)).compensationFailure === '404: charge unknown',
      'the newer refusal shown',
    );

    const metrics = await (await fetch(`${order.url}/metrics`)).text();
    assert.match(metrics, /^saga_stuck\{[^}]*status="COMPENSATING"[^}]*\} [1-9]/m);
    assert.match(metrics, /^saga_in_flight\{[^}]*status="COMPENSATING"[^}]*\} [1-9]/m);

    await happen('payment.refunded', orderId);
    const refunded = await saga(orderId);
    assert.equal(refunded.status, 'CANCELED');
    assert.equal(refunded.failureReason, 'OUT_OF_STOCK');
    assert.deepEqual(refunded.waitingFor, []);
    assert.equal(refunded.compensationFailure, null);
    const after = await stuck('stuckFor=0&limit=500');
    assert.ok(!after.some((s) => s.orderId === orderId), 'refunded: no longer stuck');
  });

  it('names the field of a bad query or id', async () => {
    for (const [path, field] of [
      ['/sagas?stuckFor=-1', 'stuckFor'],
      ['/sagas?stuckFor=soon', 'stuckFor'],
      ['/sagas?limit=0', 'limit'],
      ['/sagas/not-a-uuid', 'orderId'],
    ] as const) {
      const response = await order.request(path);
      assert.equal(response.status, 400, path);
      const problem = (await response.json()) as { errors: { field: string }[] };
      assert.deepEqual(
        problem.errors.map((error) => error.field),
        [field],
        path,
      );
    }
  });

  it('answers 404 for an unknown saga', async () => {
    const response = await order.request('/sagas/00000000-0000-4000-8000-000000000000');
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { type: string }).type, '/problems/saga-not-found');
  });

  it('is for operators only', async () => {
    assert.equal((await order.request('/sagas', {}, { customer: order.customerId })).status, 403);
    assert.equal((await order.request('/sagas', {}, {})).status, 401);
  });
});
