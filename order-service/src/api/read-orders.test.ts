import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  type OrderServiceUnderTest,
  orderBody,
  startOrderService,
} from '../testing/order-service-under-test.js';

interface Summary {
  orderId: string;
  customerId: string;
  status: string;
  createdAt: string;
}

interface Page {
  items: Summary[];
  nextCursor: string | null;
}

describe('GET /orders', () => {
  let order: OrderServiceUnderTest;
  const productId = `cup-${randomBytes(3).toString('hex')}`;
  const customerId = `customer-${randomBytes(3).toString('hex')}`;
  const placed: string[] = [];

  // As an operator, who may read every order; the customers' own view is tested below.
  const get = (path: string) => order.request(path);
  const page = async (query: string) => {
    const response = await get(`/orders?${query}`);
    assert.equal(response.status, 200);
    return (await response.json()) as Page;
  };

  before(async () => {
    order = await startOrderService();
    await order.seedProducts([{ productId, name: 'Espresso cup', priceMinor: 1250 }]);
    for (let index = 0; index < 5; index++) {
      const response = await order.postOrder(
        orderBody([{ productId, quantity: index + 1 }]),
        randomUUID(),
        customerId,
      );
      placed.push(((await response.json()) as { orderId: string }).orderId);
    }
    await order.postOrder(orderBody([{ productId, quantity: 1 }]));
    // Three orders created in the same millisecond: the id must break the tie.
    await order.db.pool.query(
      `UPDATE orders SET created_at = '2025-01-15T10:30:00.000Z' WHERE id = ANY($1::uuid[])`,
      [placed.slice(1, 4)],
    );
    await order.db.pool.query(`UPDATE orders SET status = 'CANCELED' WHERE id = ANY($1::uuid[])`, [
      [placed[0], placed[2]],
    ]);
  });

  after(() => order.stop());

  it('shows one order with its lines and timeline', async () => {
    const orderId = placed[4]!;
    const response = await get(`/orders/${orderId}`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown> & {
      timeline: { type: string; service: string; eventId: string; at: string }[];
    };
    assert.deepEqual(Object.keys(body), [
      'orderId',
      'customerId',
      'status',
      'amountMinor',
      'currency',
      'items',
      'failureReason',
      'createdAt',
      'updatedAt',
      'timeline',
    ]);
    assert.equal(body.orderId, orderId);
    assert.equal(body.customerId, customerId);
    assert.equal(body.status, 'PENDING');
    assert.equal(body.amountMinor, 6250);
    assert.equal(body.currency, 'EUR');
    assert.equal(body.failureReason, null);
    assert.deepEqual(body.items, [
      { productId, name: 'Espresso cup', quantity: 5, unitPriceMinor: 1250 },
    ]);
    const [created] = await order.outbox('order.created', orderId);
    assert.deepEqual(body.timeline, [
      {
        type: 'order.created',
        service: 'order',
        eventId: created?.eventId,
        at: new Date(created?.occurredAt ?? 0).toISOString(),
      },
    ]);
  });

  it('answers an unknown order with 404 and a malformed id with 400', async () => {
    const missing = await get(`/orders/${randomUUID()}`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { type: string }).type, '/problems/order-not-found');
    const malformed = await get('/orders/not-a-uuid');
    assert.equal(malformed.status, 400);
    const problem = (await malformed.json()) as { errors: { field: string }[] };
    assert.deepEqual(
      problem.errors.map((error) => error.field),
      ['id'],
    );
  });

  it('pages through a customer’s orders newest first, ties broken by id', async () => {
    const seen: Summary[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const result: Page = await page(
        `customerId=${customerId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      sizes.push(result.items.length);
      seen.push(...result.items);
      cursor = result.nextCursor;
    } while (cursor);
    assert.deepEqual(sizes, [2, 2, 1]);
    assert.deepEqual(seen.map((summary) => summary.orderId).sort(), [...placed].sort());
    const expected = [...seen].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || (b.orderId < a.orderId ? -1 : 1),
    );
    assert.deepEqual(seen, expected);
    assert.ok(seen.every((summary) => summary.customerId === customerId));
  });

  it('filters by status and lists every customer by default', async () => {
    const canceled = await page(`customerId=${customerId}&status=CANCELED`);
    assert.deepEqual(
      canceled.items.map((summary) => summary.orderId).sort(),
      [placed[0], placed[2]].sort(),
    );
    assert.equal(canceled.nextCursor, null);
    const everyone = await page('');
    assert.equal(everyone.items.length, 6);
    assert.equal(everyone.nextCursor, null);
  });

  it('answers a bad cursor, status or limit with a 400 naming it', async () => {
    for (const [query, field] of [
      ['cursor=bogus', 'cursor'],
      ['status=SHIPPED', 'status'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
    ]) {
      const response = await get(`/orders?${query}`);
      assert.equal(response.status, 400, query);
      const problem = (await response.json()) as { errors: { field: string }[] };
      assert.deepEqual(
        problem.errors.map((error) => error.field),
        [field],
        query,
      );
    }
  });

  it("shows a customer their own orders and no one else's", async () => {
    const own = await order.request(`/orders/${placed[4]}`, {}, { customer: customerId });
    assert.equal(own.status, 200);
    const foreign = await order.request(`/orders/${placed[4]}`, {}, { customer: 'someone-else' });
    assert.equal(foreign.status, 404, "another customer's order reads as not found");
    const waited = await order.request(
      `/orders/${placed[4]}`,
      { headers: { prefer: 'wait=5' } },
      { customer: 'someone-else' },
    );
    assert.equal(waited.status, 404, 'and is not waited for');

    const list = await order.request('/orders?limit=100', {}, { customer: customerId });
    const { items } = (await list.json()) as Page;
    assert.deepEqual(items.map((summary) => summary.orderId).sort(), [...placed].sort());
    const others = await order.request(
      `/orders?customerId=${customerId}`,
      {},
      {
        customer: 'someone-else',
      },
    );
    assert.equal(others.status, 403);
    const none = await order.request('/orders', {}, {});
    assert.equal(none.status, 401);
  });
});
