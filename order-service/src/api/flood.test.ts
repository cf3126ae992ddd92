import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { until } from '@saga/shared/testing';
import {
  type OrderServiceUnderTest,
  orderBody,
  startOrderService,
} from '../testing/order-service-under-test.js';

describe('POST /orders under a flood', () => {
  let order: OrderServiceUnderTest;
  const id = randomBytes(3).toString('hex');
  const productId = `cup-${id}`;
  const flooder = `flooder-${id}`;
  const calm = `calm-${id}`;

  before(async () => {
    order = await startOrderService({
      RATE_LIMIT_PER_CUSTOMER: '5',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    });
    await order.seedProducts([{ productId, priceMinor: 1250 }]);
    await until(async () => order.service.context.redis.status === 'ready');
  });

  after(() => order.stop());

  it("limits the customer far over its limit and still takes another customer's orders", async () => {
    const body = orderBody([{ productId, quantity: 1 }]);
    const [flood, calmAnswers] = await Promise.all([
      Promise.all(Array.from({ length: 60 }, () => order.postOrder(body, undefined, flooder))),
      (async () => {
        const answers = [];
        for (let n = 0; n < 3; n++) answers.push(await order.postOrder(body, undefined, calm));
        return answers;
      })(),
    ]);

    const statuses = flood.map((response) => response.status);
    assert.equal(statuses.filter((status) => status === 202).length, 5);
    assert.equal(statuses.filter((status) => status === 429).length, 55);
    const refused = flood.find((response) => response.status === 429)!;
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.match(refused.headers.get('ratelimit-policy') ?? '', /"customer";q=5;w=60/);
    assert.equal(((await refused.json()) as { type: string }).type, '/problems/too-many-requests');

    assert.deepEqual(
      calmAnswers.map((response) => response.status),
      [202, 202, 202],
    );
    const { rows } = await order.db.pool.query(
      'SELECT customer_id, count(*)::int AS n FROM orders WHERE customer_id = ANY($1) GROUP BY 1 ORDER BY 1',
      [[calm, flooder]],
    );
    assert.deepEqual(rows, [
      { customer_id: calm, n: 3 },
      { customer_id: flooder, n: 5 },
    ]);
    const metrics = await (await order.request('/metrics', {}, {})).text();
    assert.match(metrics, /saga_http_rate_limited_total\{[^}]*policy="customer"[^}]*\} 55/);
  });
});
