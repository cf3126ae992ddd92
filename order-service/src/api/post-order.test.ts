import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import {
  type OrderServiceUnderTest,
  orderBody,
  startOrderService,
} from '../testing/order-service-under-test.js';

interface Problem {
  type: string;
  status: number;
  errors?: { field: string; message: string }[];
}

const fieldsOf = async (response: Response) =>
  ((await response.json()) as Problem).errors?.map((error) => error.field);

describe('POST /orders', () => {
  let order: OrderServiceUnderTest;
  const id = randomBytes(3).toString('hex');
  const cup = `cup-${id}`;
  const jug = `jug-${id}`;
  const mug = `mug-${id}`;

  before(async () => {
    order = await startOrderService();
    await order.seedProducts([
      { productId: cup, name: 'Espresso cup', priceMinor: 1250 },
      { productId: jug, name: 'Milk jug', priceMinor: 1999 },
      { productId: mug, name: 'Diner mug', priceMinor: 899, currency: 'USD' },
    ]);
  });

  after(() => order.stop());

  it('accepts an order priced from the replica, in one transaction with its saga and event', async () => {
    const body = orderBody([
      { productId: cup, quantity: 2 },
      { productId: jug, quantity: 1 },
    ]);
    const response = await order.postOrder(body);
    assert.equal(response.status, 202);
    const { orderId, status } = (await response.json()) as { orderId: string; status: string };
    assert.equal(status, 'PENDING');
    assert.equal(response.headers.get('location'), `/orders/${orderId}`);

    const { rows } = await order.db.pool.query(
      'SELECT status, amount_minor, currency, version FROM orders WHERE id = $1',
      [orderId],
    );
    assert.deepEqual(rows, [
      { status: 'PENDING', amount_minor: '4499', currency: 'EUR', version: 1 },
    ]);
    const saga = await order.db.pool.query(
      'SELECT status, current_step FROM saga_instances WHERE order_id = $1',
      [orderId],
    );
    assert.deepEqual(saga.rows, [{ status: 'PENDING', current_step: 'payment' }]);

    const [created, ...more] = await order.outbox('order.created', orderId);
    assert.equal(more.length, 0);
    assert.equal(created?.causationId, null);
    assert.deepEqual(
      { ...created, eventId: undefined, occurredAt: undefined },
      {
        eventId: undefined,
        occurredAt: undefined,
        orderId,
        causationId: null,
        customerId: order.customerId,
        items: [
          { productId: cup, name: 'Espresso cup', quantity: 2, unitPriceMinor: 1250 },
          { productId: jug, name: 'Milk jug', quantity: 1, unitPriceMinor: 1999 },
        ],
        amountMinor: 4499,
        currency: 'EUR',
        shippingAddress: body.shippingAddress,
        paymentMethod: body.paymentMethod,
      },
    );
    const timeline = await order.db.pool.query(
      'SELECT type, service, event_id FROM saga_timeline WHERE order_id = $1',
      [orderId],
    );
    assert.deepEqual(timeline.rows, [
      { type: 'order.created', service: 'order', event_id: created?.eventId },
    ]);
  });

  it('requires an Idempotency-Key header', async () => {
    const response = await order.request(
      '/orders',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(orderBody([{ productId: cup, quantity: 1 }])),
      },
      { customer: order.customerId },
    );
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.deepEqual(await fieldsOf(response), ['Idempotency-Key']);
  });

  it('answers an invalid body with a 400 naming each field', async () => {
    const response = await order.postOrder({
      items: [{ productId: cup, quantity: 1.5 }],
      shippingAddress: { line1: 'x', city: 'y', postalCode: '1', country: 'Portugal' },
      paymentMethod: { type: 'cash', token: 't' },
    });
    assert.equal(response.status, 400);
    assert.deepEqual((await fieldsOf(response))?.sort(), [
      'items.0.quantity',
      'paymentMethod.type',
      'shippingAddress.country',
    ]);
  });

  it('rejects unknown fields and an empty order', async () => {
    const extra = await order.postOrder({
      ...orderBody([{ productId: cup, quantity: 1, unitPriceMinor: 1 }]),
      discount: 50,
    });
    assert.equal(extra.status, 400);
    const problem = (await extra.json()) as Problem;
    const messages = problem.errors?.map((error) => `${error.field}: ${error.message}`).join('\n');
    assert.match(messages ?? '', /items\.0: .*unitPriceMinor/);
    assert.match(messages ?? '', /discount/);

    const empty = await order.postOrder(orderBody([]));
    assert.equal(empty.status, 400);
    assert.deepEqual(await fieldsOf(empty), ['items']);
  });

  it('answers unknown products and non-positive quantities with a 422 naming the field', async () => {
    const body = orderBody([
      { productId: cup, quantity: 1 },
      { productId: `missing-${id}`, quantity: 1 },
      { productId: jug, quantity: 0 },
    ]);
    const customerId = `customer-${randomBytes(3).toString('hex')}`;
    const response = await order.postOrder(body, randomUUID(), customerId);
    assert.equal(response.status, 422);
    const problem = (await response.json()) as Problem;
    assert.equal(problem.type, '/problems/unprocessable-order');
    assert.deepEqual(
      problem.errors?.map((error) => error.field),
      ['items.1.productId', 'items.2.quantity'],
    );
    const { rows } = await order.db.pool.query(
      'SELECT count(*)::int AS n FROM orders WHERE customer_id = $1',
      [customerId],
    );
    assert.equal(rows[0].n, 0);
  });

  it('answers items in different currencies with a 422', async () => {
    const response = await order.postOrder(
      orderBody([
        { productId: cup, quantity: 1 },
        { productId: mug, quantity: 1 },
      ]),
    );
    assert.equal(response.status, 422);
    assert.deepEqual(await fieldsOf(response), ['items']);
  });

  it('replays the first response for the same key and body, and refuses another body', async () => {
    const key = randomUUID();
    const body = orderBody([{ productId: cup, quantity: 1 }]);
    const first = await order.postOrder(body, key);
    assert.equal(first.status, 202);
    const firstBody = await first.json();

    // Key order does not make another body.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const replay = await order.postOrder(reordered, key);
    assert.equal(replay.status, 202);
    assert.deepEqual(await replay.json(), firstBody);

    const other = await order.postOrder(
      { ...body, paymentMethod: { type: 'card', token: 'x' } },
      key,
    );
    assert.equal(other.status, 409);
    assert.equal(((await other.json()) as Problem).type, '/problems/idempotency-key-reused');

    const { rows } = await order.db.pool.query(
      'SELECT count(*)::int AS n FROM orders WHERE idempotency_key = $1',
      [key],
    );
    assert.equal(rows[0].n, 1);
  });

  it("keeps each customer's idempotency keys apart", async () => {
    const key = randomUUID();
    const body = orderBody([{ productId: cup, quantity: 1 }]);
    const answers = await Promise.all(
      ['alice', 'bob'].map(async (name) => {
        const response = await order.postOrder(body, key, `${name}-${id}`);
        assert.equal(response.status, 202);
        return ((await response.json()) as { orderId: string }).orderId;
      }),
    );
    assert.notEqual(answers[0], answers[1]);
    const { rows } = await order.db.pool.query(
      'SELECT customer_id FROM orders WHERE idempotency_key = $1 ORDER BY customer_id',
      [key],
    );
    assert.deepEqual(
      rows.map((row) => row.customer_id),
      [`alice-${id}`, `bob-${id}`],
    );
  });

  it('takes the customer from the token and refuses one in the body', async () => {
    const response = await order.postOrder({
      ...orderBody([{ productId: cup, quantity: 1 }]),
      customerId: 'someone-else',
    });
    assert.equal(response.status, 400);
    const problem = (await response.json()) as Problem;
    assert.match(problem.errors?.map((error) => error.message).join('\n') ?? '', /customerId/);
  });

  it('needs a bearer token', async () => {
    const response = await order.request(
      '/orders',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify(orderBody([{ productId: cup, quantity: 1 }])),
      },
      {},
    );
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="saga"/);
    assert.equal(((await response.json()) as Problem).type, '/problems/unauthenticated');
  });

  it('answers from the database when the key is not in Redis', async () => {
    const key = randomUUID();
    const body = orderBody([{ productId: jug, quantity: 3 }]);
    const first = (await (await order.postOrder(body, key)).json()) as { orderId: string };
    const { settings } = order.service.context;
    const redis = new Redis(settings.REDIS_URL);
    await redis.del(`${settings.KAFKA_TOPIC_PREFIX}order:idempotency:${order.customerId}:${key}`);
    redis.disconnect();

    const replay = await order.postOrder(body, key);
    assert.equal(replay.status, 202);
    assert.equal(((await replay.json()) as { orderId: string }).orderId, first.orderId);
    const conflict = await order.postOrder(orderBody([{ productId: jug, quantity: 4 }]), key);
    assert.equal(conflict.status, 409);
  });

  it('creates exactly one order for five concurrent requests with one key', async () => {
    const key = randomUUID();
    const body = orderBody([{ productId: cup, quantity: 1 }]);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => order.postOrder(body, key)),
    );
    assert.deepEqual(
      responses.map((response) => response.status),
      [202, 202, 202, 202, 202],
    );
    const ids = new Set(
      await Promise.all(
        responses.map(async (response) => ((await response.json()) as { orderId: string }).orderId),
      ),
    );
    assert.equal(ids.size, 1);
    const { rows } = await order.db.pool.query('SELECT id FROM orders WHERE idempotency_key = $1', [
      key,
    ]);
    assert.deepEqual(
      rows.map((row) => row.id),
      [...ids],
    );
    assert.equal((await order.outbox('order.created', [...ids][0]!)).length, 1);
  });

  it('prices from the newest product event even when an older one arrives later', async () => {
    const productId = `lamp-${id}`;
    const now = Date.now();
    await order.seedProducts([{ productId, name: 'Lamp v2', priceMinor: 2000, occurredAt: now }]);
    await order.seedProducts([
      { productId, name: 'Lamp v1', priceMinor: 1000, occurredAt: now - 60_000 },
    ]);
    const response = await order.postOrder(orderBody([{ productId, quantity: 1 }]));
    const { orderId } = (await response.json()) as { orderId: string };
    const [created] = await order.outbox('order.created', orderId);
    assert.deepEqual(created?.items, [
      { productId, name: 'Lamp v2', quantity: 1, unitPriceMinor: 2000 },
    ]);

    await order.seedProducts([
      { productId, name: 'Lamp v3', priceMinor: 2500, occurredAt: now + 1 },
    ]);
    const { rows } = await order.db.pool.query(
      'SELECT name, price_minor FROM products WHERE product_id = $1',
      [productId],
    );
    assert.deepEqual(rows, [{ name: 'Lamp v3', price_minor: '2500' }]);
  });
});
