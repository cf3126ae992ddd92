import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Credentials } from '@saga/shared/auth';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import { deleteTopicsWithPrefix, stackCredentials } from '@saga/shared/testing';
import {
  dropDatabases,
  type Platform,
  type PlatformOptions,
  stackSettings,
  startPlatform,
} from '../launcher/index.js';
import { bearer, call, gatewayApi, type OrderView } from './api.js';
import { newIdempotencyKey, orderRequest } from './orders.js';
import { describeViolations, openSession, type SagaSession } from './session.js';
import { describeTimeline, waitForTerminal } from './wait.js';

const run = promisify(execFile);

/** A saga as `GET /sagas` lists it, the fields this test reads. */
interface StuckSaga {
  orderId: string;
  status: string;
  waitingFor: { event: string; service: string }[];
  compensationFailure: string | null;
}

/** Seconds each saga has: short, so that a test outlives a deadline quickly. */
const DEADLINE_SECONDS = 4;

const KEYBOARD = {
  productId: 'keyboard',
  name: 'Keyboard',
  priceMinor: 4_999,
  currency: 'EUR',
  stock: 50,
};

const types = (order: OrderView) => order.timeline.map((entry) => entry.type);
const story = (order: OrderView) => `${order.orderId} ${order.status}: ${describeTimeline(order)}`;

describe('saga lifecycle, end to end: deadlines and compensations that do not stop', () => {
  const suffix = randomBytes(4).toString('hex');
  const prefix = `e2e${suffix}.`;
  const settings = stackSettings();
  const admin = createKafkaClient({
    clientId: 'deadline-e2e',
    brokers: settings.KAFKA_BROKERS,
    logger: createLogger({ service: 'deadline-e2e', level: 'silent' }),
  }).admin();
  const options: PlatformOptions = {
    prefix,
    databaseSuffix: suffix,
    envOf: {
      order: { SAGA_DEADLINE: String(DEADLINE_SECONDS) },
      // A charge may take longer than the deadline and still be answered.
      payment: { PAYMENT_GATEWAY_TIMEOUT_MS: '10000', PAYMENT_SETTLER_LEASE_MS: '30000' },
    },
  };
  const platforms: Platform[] = [];
  let session: SagaSession;
  let gateway: ReturnType<typeof gatewayApi>;
  let credentials: Credentials;

  async function place(): Promise<string> {
    const spec = { customerId: 'dora', productId: KEYBOARD.productId, quantity: 1 };
    return session.orders.place(orderRequest(spec), newIdempotencyKey());
  }

  /** The order once its deadline has canceled it, checked to be TIMED_OUT. */
  async function timedOut(orderId: string): Promise<OrderView> {
    const [order] = (await waitForTerminal(session.orders, [orderId], 20_000)).values();
    assert.equal(order!.status, 'CANCELED', story(order!));
    assert.equal(order!.failureReason, 'TIMED_OUT', story(order!));
    const age = Date.parse(order!.updatedAt) - Date.parse(order!.createdAt);
    assert.ok(age >= DEADLINE_SECONDS * 1000, `canceled after ${age} ms: ${story(order!)}`);
    return order!;
  }

  /** Reads the order until its timeline shows `type` (bounded): a compensation after the end. */
  async function untilSeen(orderId: string, type: string): Promise<OrderView> {
    const until = Date.now() + 20_000;
    for (;;) {
      const order = await session.orders.get(orderId);
      if (types(order).includes(type) || Date.now() > until) return order;
      await sleep(200);
    }
  }

  /** The stuck sagas order-service lists, as an operator sees them. */
  async function stuckSagas(): Promise<StuckSaga[]> {
    const url = `${platforms[0]!.url('order')}/sagas?stuckFor=0`;
    const answer = await call<{ items: StuckSaga[] }>(url, {
      headers: bearer(await credentials.admin()),
    });
    assert.equal(answer.status, 200);
    return answer.body.items;
  }

  /** `npm run saga -- <args>` against this platform; its printed output. */
  async function sagaCli(...args: string[]): Promise<string> {
    const env = {
      ...process.env,
      ORDER_SERVICE_URL: platforms[0]!.url('order'),
      PAYMENT_SERVICE_URL: platforms[0]!.url('payment'),
    };
    const { stdout } = await run('npm', ['run', '--silent', 'saga', '--', ...args], { env });
    return stdout;
  }

  async function payments(orderId: string) {
    const { rows } = await session.databases.payment.query<{
      kind: string;
      status: string;
      reason: string | null;
    }>('SELECT kind, status, reason FROM payments WHERE order_id = $1 ORDER BY kind', [orderId]);
    return rows;
  }

  async function assertInvariants() {
    const report = await session.checkInvariants();
    assert.ok(report.passed, `invariants broken:\n${describeViolations(report)}`);
  }

  before(async () => {
    await admin.connect();
    credentials = await stackCredentials();
    platforms.push(await startPlatform(options));
    session = openSession({
      platform: platforms[0]!,
      postgresUrl: settings.POSTGRES_URL,
      admin,
      credentials,
    });
    gateway = gatewayApi(platforms[0]!.gateway.url);
    await session.seed([KEYBOARD]);
  });

  after(async () => {
    await session?.close();
    for (const platform of platforms) await platform.stop();
    if (platforms[0]) {
      await dropDatabases(settings.POSTGRES_URL, Object.values(platforms[0].databases));
    }
    await deleteTopicsWithPrefix(admin, prefix);
    await admin.disconnect();
  });

  it('cancels an order whose gateway stays down past the deadline, and charges nothing', async () => {
    await gateway.configure({ outage: true });
    const orderId = await place();
    const order = await timedOut(orderId);
    assert.deepEqual(types(order), ['order.created', 'order.canceled'], story(order));

    await gateway.configure({ outage: false });
    // Back up, the gateway is only asked what it charged, never asked to charge.
    const settled = await untilSeen(orderId, 'payment.failed');
    assert.ok(types(settled).includes('payment.failed'), story(settled));
    assert.equal(settled.status, 'CANCELED');
    assert.deepEqual(await gateway.charges(orderId), []);
    assert.deepEqual(await payments(orderId), [
      { kind: 'CHARGE', status: 'FAILED', reason: 'TIMED_OUT' },
    ]);
    await assertInvariants();
  });

  it('refunds a charge the gateway makes after the deadline, and the order stays canceled', async () => {
    // The charge is answered two seconds after the deadline.
    const lateMs = (DEADLINE_SECONDS + 2) * 1000;
    await gateway.configure({ latencyMs: { min: lateMs, max: lateMs } });
    const orderId = await place();
    await timedOut(orderId);
    await gateway.configure({ latencyMs: { min: 0, max: 0 } });

    const refunded = await untilSeen(orderId, 'payment.refunded');
    assert.ok(types(refunded).includes('payment.refunded'), story(refunded));
    // The late charge moved nothing on: no reservation, no delivery.
    assert.ok(!types(refunded).includes('payment.completed'), story(refunded));
    assert.equal(refunded.status, 'CANCELED');
    assert.equal(refunded.failureReason, 'TIMED_OUT');
    const [charge] = await gateway.charges(orderId);
    assert.equal(charge?.status, 'succeeded');
    assert.deepEqual(await payments(orderId), [
      { kind: 'CHARGE', status: 'COMPLETED', reason: null },
      { kind: 'REFUND', status: 'COMPLETED', reason: 'TIMED_OUT' },
    ]);
    await assertInvariants();
  });

  it('gives back the money and the stock when a consumer is stopped past the deadline', async () => {
    const [inventory] = platforms[0]!.services.inventory!;
    await inventory!.stop();
    const orderId = await place();
    const order = await timedOut(orderId);
    // Paid, waiting for a reservation that no one was there to make.
    assert.ok(types(order).includes('payment.completed'), story(order));

    // Inventory comes back to payment.completed and order.canceled, in either order.
    platforms.push(await startPlatform({ ...options, services: ['inventory'] }));
    const refunded = await untilSeen(orderId, 'payment.refunded');
    assert.ok(types(refunded).includes('payment.refunded'), story(refunded));
    await session.quiesce();
    assert.equal((await session.orders.get(orderId)).status, 'CANCELED');
    const { rows } = await session.databases.inventory.query<{ status: string }>(
      'SELECT status FROM stock_reservations WHERE order_id = $1',
      [orderId],
    );
    assert.notEqual(rows[0]?.status, 'RESERVED', `stock held for ${orderId}`);
    await assertInvariants();
  });

  it('keeps a refund the gateway refuses visible as stuck, until an operator retries it', async () => {
    await gateway.configure({ refuseRefunds: true });
    const spec = {
      customerId: 'dora',
      productId: KEYBOARD.productId,
      quantity: KEYBOARD.stock + 1,
    };
    const orderId = await session.orders.place(orderRequest(spec), newIdempotencyKey());
    let stuck: StuckSaga | undefined;
    for (const until = Date.now() + 20_000; !stuck?.compensationFailure && Date.now() < until; ) {
      await sleep(200);
      stuck = (await stuckSagas()).find((saga) => saga.orderId === orderId);
    }
    assert.ok(stuck?.compensationFailure, `not listed as stuck: ${JSON.stringify(stuck)}`);
    assert.deepEqual(stuck.waitingFor, [{ event: 'payment.refunded', service: 'payment' }]);

    const table = await sagaCli('stuck', '--for', '0');
    assert.match(table, new RegExp(orderId));
    const dryRun = await sagaCli('retry', orderId, '--dry-run');
    assert.match(dryRun, /dry run/);
    assert.deepEqual(await payments(orderId), [
      { kind: 'CHARGE', status: 'COMPLETED', reason: null },
      { kind: 'REFUND', status: 'FAILED', reason: 'OUT_OF_STOCK' },
    ]);

    await gateway.configure({ refuseRefunds: false });
    await sagaCli('retry', orderId);
    const refunded = await untilSeen(orderId, 'payment.refunded');
    assert.ok(types(refunded).includes('payment.refunded'), story(refunded));
    assert.equal(refunded.status, 'CANCELED');
    assert.ok(!(await stuckSagas()).some((saga) => saga.orderId === orderId));
    await assertInvariants();
  });
});
