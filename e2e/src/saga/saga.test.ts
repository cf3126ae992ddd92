import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import { deleteTopicsWithPrefix, stackCredentials } from '@saga/shared/testing';
import { dropDatabases, type Platform, stackSettings, startPlatform } from '../launcher/index.js';
import { SERVICE_NAMES } from '../services.js';
import { gatewayApi, type OrderView, type ProductSeed } from './api.js';
import {
  CARDS,
  newIdempotencyKey,
  type OrderSpec,
  orderRequest,
  UNDELIVERABLE_POSTAL_CODE,
} from './orders.js';
import { describeViolations, openSession, type SagaSession } from './session.js';
import { describeTimeline, mapConcurrently, waitForTerminal } from './wait.js';

const PRODUCTS = {
  keyboard: {
    productId: 'keyboard',
    name: 'Keyboard',
    priceMinor: 4_999,
    currency: 'EUR',
    stock: 100,
  },
  mouse: { productId: 'mouse', name: 'Mouse', priceMinor: 1_999, currency: 'EUR', stock: 20 },
  monitor: { productId: 'monitor', name: 'Monitor', priceMinor: 19_900, currency: 'EUR', stock: 3 },
  hotDeal: { productId: 'hot-deal', name: 'Hot deal', priceMinor: 999, currency: 'EUR', stock: 10 },
} satisfies Record<string, ProductSeed>;

const types = (order: OrderView) => order.timeline.map((entry) => entry.type);

describe('choreographed order saga, end to end', () => {
  const run = randomBytes(4).toString('hex');
  const prefix = `e2e${run}.`;
  const settings = stackSettings();
  const admin = createKafkaClient({
    clientId: 'saga-e2e',
    brokers: settings.KAFKA_BROKERS,
    logger: createLogger({ service: 'saga-e2e', level: 'silent' }),
  }).admin();
  let platform: Platform | undefined;
  let session: SagaSession;

  /**
   * Places the order, waits (bounded) for its saga to end and for the platform to be quiescent:
   * the order as GET then shows it, every event of its saga on the timeline.
   */
  async function settle(spec: OrderSpec): Promise<OrderView> {
    const orderId = await session.orders.place(orderRequest(spec), newIdempotencyKey());
    return settled(orderId);
  }

  async function settled(orderId: string): Promise<OrderView> {
    await waitForTerminal(session.orders, [orderId], 30_000);
    await session.quiesce();
    return session.orders.get(orderId);
  }

  /** Every platform invariant, once the platform is quiescent. */
  async function assertInvariants() {
    const report = await session.checkInvariants();
    assert.ok(report.passed, `invariants broken:\n${describeViolations(report)}`);
  }

  /** The order's timeline, for assertion messages. */
  const story = (order: OrderView) =>
    `${order.orderId} ${order.status}: ${describeTimeline(order)}`;

  before(async () => {
    await admin.connect();
    platform = await startPlatform({ prefix, databaseSuffix: run });
    session = openSession({
      platform: platform,
      postgresUrl: settings.POSTGRES_URL,
      admin,
      credentials: await stackCredentials(),
    });
    await session.seed(Object.values(PRODUCTS));
  });

  after(async () => {
    await session?.close();
    await platform?.stop();
    if (platform) await dropDatabases(settings.POSTGRES_URL, Object.values(platform.databases));
    await deleteTopicsWithPrefix(admin, prefix);
    await admin.disconnect();
  });

  it('completes an order whose every step succeeds, each step on its timeline', async () => {
    const order = await settle({ customerId: 'ana', productId: 'keyboard', quantity: 2 });
    assert.equal(order.status, 'COMPLETED', story(order));
    assert.equal(order.failureReason, null);
    assert.equal(order.amountMinor, 2 * PRODUCTS.keyboard.priceMinor);
    assert.deepEqual(order.items, [
      { productId: 'keyboard', name: 'Keyboard', quantity: 2, unitPriceMinor: 4_999 },
    ]);
    assert.deepEqual(types(order), [
      'order.created',
      'payment.completed',
      'stock.reserved',
      'delivery.started',
      'order.completed',
    ]);
    await assertInvariants();
    // Every event of the saga, written in four databases, continues the trace of the POST.
    const traces = new Set<string>();
    for (const service of SERVICE_NAMES) {
      const { rows } = await session.databases[service].query<{ traceparent: string }>(
        "SELECT headers->>'traceparent' AS traceparent FROM outbox WHERE key = $1",
        [order.orderId],
      );
      for (const row of rows) traces.add(row.traceparent?.split('-')[1] ?? 'none');
    }
    assert.equal(traces.size, 1, `one trace per order, saw ${[...traces].join(', ')}`);
  });

  it('cancels an order whose card is declined, with nothing to compensate', async () => {
    const order = await settle({
      customerId: 'bruno',
      productId: 'keyboard',
      token: CARDS.declined,
    });
    assert.equal(order.status, 'CANCELED', story(order));
    assert.equal(order.failureReason, 'PAYMENT_DECLINED');
    assert.deepEqual(types(order), ['order.created', 'payment.failed', 'order.canceled']);
    const [charge, ...more] = await gatewayApi(platform!.gateway.url).charges(order.orderId);
    assert.equal(charge?.status, 'declined');
    assert.equal(more.length, 0);
    await assertInvariants();
  });

  it('cancels an order larger than the stock and refunds its charge', async () => {
    const order = await settle({ customerId: 'carla', productId: 'monitor', quantity: 4 });
    assert.equal(order.status, 'CANCELED', story(order));
    assert.equal(order.failureReason, 'OUT_OF_STOCK');
    for (const step of ['payment.completed', 'stock.reservation-failed', 'payment.refunded']) {
      assert.ok(types(order).includes(step), `${step} missing: ${story(order)}`);
    }
    assert.equal(types(order).at(-1), 'order.canceled');
    const charges = await gatewayApi(platform!.gateway.url).charges(order.orderId);
    assert.equal(charges.length, 1);
    assert.equal(charges[0]!.amountRefundedMinor, order.amountMinor);
    const monitor = await session.inventory.get('monitor');
    assert.deepEqual([monitor.availableQuantity, monitor.reservedQuantity], [3, 0]);
    await assertInvariants();
  });

  it('cancels an order it cannot deliver once its stock is released and its charge refunded', async () => {
    const order = await settle({
      customerId: 'duarte',
      productId: 'mouse',
      quantity: 3,
      postalCode: UNDELIVERABLE_POSTAL_CODE,
    });
    assert.equal(order.status, 'CANCELED', story(order));
    assert.equal(order.failureReason, 'DELIVERY_FAILED');
    const steps = types(order);
    for (const step of [
      'payment.completed',
      'stock.reserved',
      'delivery.failed',
      'stock.released',
      'payment.refunded',
    ]) {
      assert.ok(steps.includes(step), `${step} missing: ${story(order)}`);
    }
    assert.equal(steps.at(-1), 'order.canceled', story(order));
    const charges = await gatewayApi(platform!.gateway.url).charges(order.orderId);
    assert.equal(charges[0]!.amountRefundedMinor, order.amountMinor);
    const mouse = await session.inventory.get('mouse');
    assert.deepEqual([mouse.availableQuantity, mouse.reservedQuantity], [20, 0]);
    await assertInvariants();
  });

  it('completes an order whose charge timed out but went through, charging it once', async () => {
    const order = await settle({
      customerId: 'eva',
      productId: 'keyboard',
      token: CARDS.timedOutButCharged,
    });
    assert.equal(order.status, 'COMPLETED', story(order));
    const charges = await gatewayApi(platform!.gateway.url).charges(order.orderId);
    assert.deepEqual(
      charges.map((charge) => [charge.status, charge.amountMinor]),
      [['succeeded', order.amountMinor]],
    );
    await assertInvariants();
  });

  it('makes one order of five concurrent requests with one Idempotency-Key', async () => {
    const request = orderRequest({ customerId: 'filipa', productId: 'keyboard' });
    const key = newIdempotencyKey();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => session.orders.post(request, key)),
    );
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [202, 202, 202, 202, 202],
      JSON.stringify(answers.map((answer) => answer.body)),
    );
    const orderIds = new Set(answers.map((answer) => answer.body.orderId));
    assert.equal(orderIds.size, 1, `several orders: ${[...orderIds].join(', ')}`);
    const { rows } = await session.databases.order.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM orders WHERE customer_id = 'filipa'",
    );
    assert.equal(rows[0]?.n, 1);

    // Keys are each customer's own: the same customer's other body under it is refused.
    const reused = await session.orders.post(
      { ...request, items: [{ productId: 'keyboard', quantity: 2 }] },
      key,
    );
    assert.equal(reused.status, 409);

    const order = await settled([...orderIds][0]!);
    assert.equal(order.status, 'COMPLETED', story(order));
    await assertInvariants();
  });

  it('sells the 10 units of a hot deal to exactly 10 of 100 concurrent buyers', async () => {
    let lowest = Number.POSITIVE_INFINITY;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const product = await session.inventory.get('hot-deal');
        lowest = Math.min(lowest, product.availableQuantity, product.reservedQuantity);
        await sleep(50);
      }
    })();

    const orderIds = await Promise.all(
      Array.from({ length: 100 }, (_, buyer) =>
        session.orders.place(
          orderRequest({ customerId: `buyer-${buyer}`, productId: 'hot-deal' }),
          newIdempotencyKey(),
        ),
      ),
    );
    assert.equal(new Set(orderIds).size, 100);
    await waitForTerminal(session.orders, orderIds, 90_000);
    sampling = false;
    await sampler;
    await session.quiesce();
    const orders = await mapConcurrently(orderIds, 8, (orderId) => session.orders.get(orderId));

    const outcomes = new Map<string, number>();
    for (const order of orders) {
      const outcome = `${order.status} ${order.failureReason ?? ''}`.trim();
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(outcomes), { COMPLETED: 10, 'CANCELED OUT_OF_STOCK': 90 });
    for (const order of orders.filter((o) => o.status === 'CANCELED')) {
      assert.ok(types(order).includes('payment.refunded'), `not refunded: ${story(order)}`);
    }
    assert.ok(lowest >= 0, `stock went negative: ${lowest}`);
    const hotDeal = await session.inventory.get('hot-deal');
    assert.deepEqual([hotDeal.availableQuantity, hotDeal.reservedQuantity], [0, 10]);
    await assertInvariants();
  });

  it('has an invariant check that catches a miscounted stock and a saga left open', async () => {
    // A check that cannot fail proves nothing: break two invariants by hand, then mend them.
    const { inventory, order } = session.databases;
    const [open] = (
      await order.query<{ id: string }>(
        "UPDATE orders SET status = 'PAID' WHERE id = (SELECT id FROM orders WHERE status = " +
          "'COMPLETED' LIMIT 1) RETURNING id",
      )
    ).rows;
    await inventory.query(
      "UPDATE inventory SET available_quantity = available_quantity + 1 WHERE product_id = 'mouse'",
    );
    try {
      const report = await session.checkInvariants();
      const broken = report.results.filter((result) => !result.passed);
      assert.deepEqual(
        broken.map((result) => result.id),
        [1, 2, 3],
        describeViolations(report),
      );
      assert.ok(broken[0]!.counterexamples.some((example) => example.includes(open!.id)));
      assert.ok(broken[1]!.counterexamples.some((example) => example.startsWith('mouse:')));
    } finally {
      await order.query("UPDATE orders SET status = 'COMPLETED' WHERE id = $1", [open!.id]);
      await inventory.query(
        "UPDATE inventory SET available_quantity = available_quantity - 1 WHERE product_id = 'mouse'",
      );
    }
    await assertInvariants();
  });
});
