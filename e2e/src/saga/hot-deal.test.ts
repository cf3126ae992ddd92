import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import { deleteTopicsWithPrefix, stackCredentials } from '@saga/shared/testing';
import { dropDatabases, type Platform, stackSettings, startPlatform } from '../launcher/index.js';
import type { ProductSeed } from './api.js';
import { holdCounts, openHolds } from './hot-deal-holds.js';
import { CARDS, newIdempotencyKey, type OrderSpec, orderRequest } from './orders.js';
import { describeViolations, openSession, type SagaSession } from './session.js';
import { waitForTerminal } from './wait.js';

const LAMP = {
  productId: 'hot-lamp',
  name: 'Lamp (hot deal)',
  priceMinor: 1_500,
  currency: 'EUR',
  stock: 10,
  hotDeal: true,
} satisfies ProductSeed;
const MUG = { ...LAMP, productId: 'hot-mug', name: 'Mug (hot deal)', stock: 1 };
const BUYERS = 40;

describe('hot deal sold out at the door, end to end', () => {
  const run = randomBytes(4).toString('hex');
  const prefix = `e2e${run}.`;
  const settings = stackSettings();
  const admin = createKafkaClient({
    clientId: 'hot-deal-e2e',
    brokers: settings.KAFKA_BROKERS,
    logger: createLogger({ service: 'hot-deal-e2e', level: 'silent' }),
  }).admin();
  let platform: Platform | undefined;
  let session: SagaSession;

  const holds = () => holdCounts(platform!.url('order'));
  const post = (spec: OrderSpec) => session.orders.post(orderRequest(spec), newIdempotencyKey());

  before(async () => {
    await admin.connect();
    platform = await startPlatform({ prefix, databaseSuffix: run });
    session = openSession({
      platform,
      postgresUrl: settings.POSTGRES_URL,
      admin,
      credentials: await stackCredentials(),
    });
    await session.seed([LAMP, MUG]);
  });

  after(async () => {
    await session?.close();
    await platform?.stop();
    if (platform) await dropDatabases(settings.POSTGRES_URL, Object.values(platform.databases));
    await deleteTopicsWithPrefix(admin, prefix);
    await admin.disconnect();
  });

  it(`sells the ${LAMP.stock} units to ${LAMP.stock} of ${BUYERS} concurrent buyers and refuses the rest unchanged`, async () => {
    assert.equal((await session.inventory.get(LAMP.productId)).hotDeal, true);
    let lowest = Number.POSITIVE_INFINITY;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const lamp = await session.inventory.get(LAMP.productId);
        lowest = Math.min(lowest, lamp.availableQuantity, lamp.reservedQuantity);
        await sleep(50);
      }
    })();

    const answers = await Promise.all(
      Array.from({ length: BUYERS }, (_, buyer) =>
        post({ customerId: `lamp-buyer-${buyer}`, productId: LAMP.productId }),
      ),
    );
    const accepted = answers.filter((answer) => answer.status === 202);
    const refused = answers.filter((answer) => answer.status === 409);
    assert.equal(accepted.length, LAMP.stock, JSON.stringify(answers.map((a) => a.status)));
    assert.equal(refused.length, BUYERS - LAMP.stock);
    for (const answer of refused) {
      assert.equal(answer.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.deepEqual(
        [(answer.body as unknown as { type: string }).type, answer.headers.get('location')],
        ['/problems/sold-out', null],
      );
    }

    const orders = await waitForTerminal(
      session.orders,
      accepted.map((answer) => answer.body.orderId),
      60_000,
    );
    sampling = false;
    await sampler;
    await session.quiesce();
    assert.deepEqual(
      [...orders.values()].map((order) => order.status),
      Array(LAMP.stock).fill('COMPLETED'),
    );
    // Nobody refused at the door has an order, and so nothing to charge or refund.
    const placed = await session.databases.order.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM order_items WHERE product_id = $1',
      [LAMP.productId],
    );
    assert.equal(placed.rows[0]?.n, LAMP.stock);
    const payments = await session.databases.payment.query<{ kind: string; n: number }>(
      'SELECT kind, count(*)::int AS n FROM payments WHERE order_id = ANY($1::text[]) GROUP BY kind',
      [[...orders.keys()]],
    );
    assert.deepEqual(payments.rows, [{ kind: 'CHARGE', n: LAMP.stock }]);
    const lamp = await session.inventory.get(LAMP.productId);
    assert.deepEqual([lamp.availableQuantity, lamp.reservedQuantity], [0, LAMP.stock]);
    assert.ok(lowest >= 0, `stock went negative: ${lowest}`);
    const counted = await holds();
    assert.deepEqual(
      [counted.taken, counted.consumed, counted.refused],
      [LAMP.stock, LAMP.stock, BUYERS - LAMP.stock],
    );
    assert.equal(openHolds(counted), 0, `a hold outlived its saga: ${JSON.stringify(counted)}`);

    const report = await session.checkInvariants();
    assert.ok(report.passed, `invariants broken:\n${describeViolations(report)}`);
  });

  it('gives the hold of a canceled order back to the next buyer', async () => {
    const declined = await post({
      customerId: 'mug-declined',
      productId: MUG.productId,
      token: CARDS.declined,
    });
    assert.equal(declined.status, 202);
    // The one unit is held while the declined order's saga runs, or given back once it ended.
    const [canceled] = (await waitForTerminal(session.orders, [declined.body.orderId])).values();
    assert.deepEqual([canceled?.status, canceled?.failureReason], ['CANCELED', 'PAYMENT_DECLINED']);

    const next = await post({ customerId: 'mug-next', productId: MUG.productId });
    assert.equal(next.status, 202, JSON.stringify(next.body));
    const late = await post({ customerId: 'mug-late', productId: MUG.productId });
    assert.equal(late.status, 409);

    const [completed] = (await waitForTerminal(session.orders, [next.body.orderId])).values();
    assert.equal(completed?.status, 'COMPLETED');
    await session.quiesce();
    const counted = await holds();
    assert.equal(counted.released, 1, JSON.stringify(counted));
    assert.equal(openHolds(counted), 0, `a hold outlived its saga: ${JSON.stringify(counted)}`);
    const report = await session.checkInvariants();
    assert.ok(report.passed, `invariants broken:\n${describeViolations(report)}`);
  });
});
