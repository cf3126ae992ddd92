import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  type OrderServiceUnderTest,
  orderBody,
  startOrderService,
} from '../testing/order-service-under-test.js';

describe('POST /orders without Redis', () => {
  let order: OrderServiceUnderTest;
  const productId = `cup-${randomBytes(3).toString('hex')}`;

  before(async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    order = await startOrderService({ REDIS_URL: 'redis://127.0.0.1:1' });
    await order.seedProducts([{ productId, priceMinor: 1250 }]);
  });

  after(() => order.stop());

  it('still places orders and keeps Idempotency-Key through the database', async () => {
    const key = randomUUID();
    const body = orderBody([{ productId, quantity: 1 }]);
    const first = await order.postOrder(body, key);
    assert.equal(first.status, 202);
    const { orderId } = (await first.json()) as { orderId: string };

    const replays = await Promise.all(Array.from({ length: 5 }, () => order.postOrder(body, key)));
    for (const replay of replays) {
      assert.equal(replay.status, 202);
      assert.equal(((await replay.json()) as { orderId: string }).orderId, orderId);
    }
    const conflict = await order.postOrder(orderBody([{ productId, quantity: 2 }]), key);
    assert.equal(conflict.status, 409);
  });
});
