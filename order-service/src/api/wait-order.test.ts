import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sampleEvent, until } from '@saga/shared/testing';
import {
  type OrderServiceUnderTest,
  orderBody,
  startOrderService,
} from '../testing/order-service-under-test.js';

interface OrderView {
  orderId: string;
  status: string;
  failureReason: string | null;
  timeline: { type: string }[];
}

const MAX_SECONDS = 20;
/** "Well before the wait ran out": what a prompt answer must beat. */
const PROMPT_MS = (MAX_SECONDS * 1000) / 2;

/** One order-service under test with the tools of a waiting GET /orders/:id. */
function waitingClient(order: () => OrderServiceUnderTest) {
  const productId = `cup-${randomBytes(3).toString('hex')}`;
  return {
    productId,
    async place(): Promise<string> {
      const response = await order().postOrder(orderBody([{ productId, quantity: 1 }]));
      assert.equal(response.status, 202);
      return ((await response.json()) as { orderId: string }).orderId;
    },
    /** GET /orders/:id with `prefer` (if any); how long it took and what it said. */
    async get(orderId: string, prefer?: string, signal?: AbortSignal) {
      const started = performance.now();
      const response = await order().request(
        `/orders/${orderId}`,
        {
          headers: prefer === undefined ? {} : { prefer },
          signal: signal ?? AbortSignal.timeout(PROMPT_MS),
        },
        { customer: order().customerId },
      );
      const body = (await response.json()) as OrderView;
      return {
        status: response.status,
        applied: response.headers.get('preference-applied'),
        body,
        ms: performance.now() - started,
      };
    },
    /** The `saga_order_waiters` gauge, as GET /metrics shows it. */
    async waiters(): Promise<number> {
      const text = await (await fetch(`${order().url}/metrics`)).text();
      const match = /^saga_order_waiters(?:\{.*\})? (\d+)$/m.exec(text);
      assert.ok(match, 'saga_order_waiters is exported');
      return Number(match[1]);
    },
  };
}

describe('GET /orders/:id with Prefer: wait', () => {
  let order: OrderServiceUnderTest;
  const client = waitingClient(() => order);

  before(async () => {
    // No re-reads on a timer: only this instance's own commits can end a wait early.
    order = await startOrderService({
      ORDER_WAIT_MAX_SECONDS: String(MAX_SECONDS),
      ORDER_WAIT_RECHECK_MS: String(60 * 60 * 1000),
    });
    await order.seedProducts([{ productId: client.productId, priceMinor: 1250 }]);
  });

  after(() => order.stop());

  const decline = (orderId: string) =>
    order.send(
      'payment.failed',
      sampleEvent('payment.failed', { orderId, occurredAt: Date.now() }),
    );

  it('answers as soon as the saga ends, with the ended order', async () => {
    const orderId = await client.place();
    const answer = client.get(orderId, `wait=${MAX_SECONDS}`);
    await until(async () => (await client.waiters()) === 1, 'the request waits');
    await decline(orderId);
    const { status, applied, body, ms } = await answer;
    assert.equal(status, 200);
    assert.equal(applied, `wait=${MAX_SECONDS}`);
    assert.equal(body.status, 'CANCELED');
    assert.equal(body.failureReason, 'PAYMENT_DECLINED');
    assert.deepEqual(
      body.timeline.map((entry) => entry.type),
      ['order.created', 'payment.failed', 'order.canceled'],
    );
    assert.ok(ms < PROMPT_MS, `answered after ${ms.toFixed(0)} ms`);
    assert.equal(await client.waiters(), 0);
  });

  it('answers with the current state when the wait runs out', async () => {
    const orderId = await client.place();
    const answer = client.get(orderId, 'wait=2');
    await until(async () => (await client.waiters()) === 1, 'the request waits');
    const { status, applied, body } = await answer;
    assert.equal(status, 200);
    assert.equal(applied, 'wait=2');
    assert.equal(body.status, 'PENDING');
    assert.equal(await client.waiters(), 0);
  });

  it('caps the wait at ORDER_WAIT_MAX_SECONDS and says so', async () => {
    const orderId = await client.place();
    await decline(orderId);
    await until(async () => (await client.get(orderId)).body.status === 'CANCELED', 'declined');
    for (const prefer of ['wait=3600', `wait=${'9'.repeat(40)}`, 'return=minimal, WAIT=100']) {
      const { applied, body } = await client.get(orderId, prefer);
      assert.equal(applied, `wait=${MAX_SECONDS}`, prefer);
      assert.equal(body.status, 'CANCELED', prefer);
    }
  });

  it('ignores a malformed or absent wait and answers at once', async () => {
    const orderId = await client.place();
    for (const prefer of [undefined, 'wait=soon', 'wait=-1', 'wait=1.5', 'wait', 'respond-async']) {
      // Waiting would take MAX_SECONDS, past the request's own timeout.
      const { status, applied, body } = await client.get(orderId, prefer);
      assert.equal(status, 200, prefer);
      assert.equal(applied, null, prefer);
      assert.equal(body.status, 'PENDING', prefer);
    }
  });

  it('answers an unknown order with 404 without waiting', async () => {
    const { status, applied } = await client.get(randomUUID(), `wait=${MAX_SECONDS}`);
    assert.equal(status, 404);
    assert.equal(applied, null);
    assert.equal(await client.waiters(), 0);
  });

  it('releases the waiter of a client that left', async () => {
    const orderId = await client.place();
    const leave = new AbortController();
    const answer = client.get(orderId, `wait=${MAX_SECONDS}`, leave.signal);
    await until(async () => (await client.waiters()) === 1, 'the request waits');
    leave.abort();
    await assert.rejects(answer, { name: 'AbortError' });
    await until(async () => (await client.waiters()) === 0, 'the waiter is released', PROMPT_MS);
  });
});

describe('GET /orders/:id with Prefer: wait, re-reading on a timer, one waiter at most', () => {
  let order: OrderServiceUnderTest;
  const client = waitingClient(() => order);

  before(async () => {
    order = await startOrderService({
      ORDER_WAIT_MAX_SECONDS: String(MAX_SECONDS),
      ORDER_WAIT_MAX_WAITERS: '1',
      ORDER_WAIT_RECHECK_MS: '100',
    });
    await order.seedProducts([{ productId: client.productId, priceMinor: 1250 }]);
  });

  after(() => order.stop());

  it('sees a move another instance committed by re-reading on its timer', async () => {
    const orderId = await client.place();
    const answer = client.get(orderId, `wait=${MAX_SECONDS}`);
    await until(async () => (await client.waiters()) === 1, 'the request waits');
    // A commit this instance's watch never hears of, as another instance's would be.
    await order.db.pool.query(
      `UPDATE orders SET status = 'CANCELED', failure_reason = 'PAYMENT_DECLINED' WHERE id = $1`,
      [orderId],
    );
    const { applied, body, ms } = await answer;
    assert.equal(applied, `wait=${MAX_SECONDS}`);
    assert.equal(body.status, 'CANCELED');
    assert.ok(ms < PROMPT_MS, `answered after ${ms.toFixed(0)} ms`);
  });

  it('answers at once, without Preference-Applied, while ORDER_WAIT_MAX_WAITERS wait', async () => {
    const held = await client.place();
    const leave = new AbortController();
    const holding = client.get(held, `wait=${MAX_SECONDS}`, leave.signal);
    await until(async () => (await client.waiters()) === 1, 'the first request waits');
    const { status, applied, body } = await client.get(await client.place(), 'wait=5');
    assert.equal(status, 200);
    assert.equal(applied, null);
    assert.equal(body.status, 'PENDING');
    const metrics = await (await fetch(`${order.url}/metrics`)).text();
    assert.match(metrics, /^saga_order_waits_refused_total(?:\{.*\})? 1$/m);
    leave.abort();
    await assert.rejects(holding, { name: 'AbortError' });
    await until(async () => (await client.waiters()) === 0, 'the waiter is released');
  });

  it('answers waiting requests with the current state when the service stops', async () => {
    const orderId = await client.place();
    const answer = client.get(orderId, `wait=${MAX_SECONDS}`);
    await until(async () => (await client.waiters()) === 1, 'the request waits');
    const stopped = order.service.stop();
    const { status, applied, body, ms } = await answer;
    assert.equal(status, 200);
    assert.equal(applied, `wait=${MAX_SECONDS}`);
    assert.equal(body.status, 'PENDING');
    assert.ok(ms < PROMPT_MS, `answered after ${ms.toFixed(0)} ms`);
    await stopped;
  });
});
