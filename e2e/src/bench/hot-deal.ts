// `npm run bench -- hot-deal [--buyers 10000] [--units 100] [--concurrency 200]`: a hot deal's
// rush. Starts the real platform, then lets every buyer (each a distinct customer, so the
// per-customer rate limit never answers for the gate) try to buy one unit at once, through
// `--concurrency` sockets: first with the product a hot deal (the Redis gate refuses at the door
// once sold out), then a second product of the same stock that is not (every buyer is charged
// and inventory refuses, so all but the lucky ones are refunded). Prints, for each, the orders
// completed, charges and refunds made and the latency of a refusal; checks the invariants. A
// warm-up rush on a sold-out hot deal (refused, no saga) runs the request path hot first.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import { stackCredentials } from '@saga/shared/testing';
import { resetDemoState } from '../demo/platform.js';
import { repoRoot, stackSettings, startPlatform } from '../launcher/index.js';
import { type HoldCounts, holdCounts } from '../saga/hot-deal-holds.js';
import { newIdempotencyKey, orderRequest } from '../saga/orders.js';
import { describeViolations, openSession, type SagaSession } from '../saga/session.js';
import { mapConcurrently } from '../saga/wait.js';
import { summarize } from './stats.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    buyers: { type: 'string', default: '10000' },
    units: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '200' },
    'log-level': { type: 'string', default: 'warn' },
  },
});
const positive = (name: 'buyers' | 'units' | 'concurrency') => {
  const value = Number(args[name]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name}: a positive integer`);
  return value;
};
const buyers = positive('buyers');
const units = positive('units');
const concurrency = positive('concurrency');

interface RushFigures {
  accepted: number;
  refused: number;
  /** Answers other than 202 and 409, by status: none expected. */
  other: Record<number, number>;
  completed: number;
  canceled: number;
  charges: number;
  refunds: number;
  refusalMs: ReturnType<typeof summarize>;
  acceptMs: ReturnType<typeof summarize>;
  /** From the first request to the last saga ended. */
  seconds: number;
  available: number;
  reserved: number;
}

console.log(
  `Hot-deal benchmark · ${buyers} buyers for ${units} units · ${concurrency} concurrent requests`,
);
const settings = stackSettings();
const run = randomBytes(3).toString('hex');
const prefix = `benchhot${run}.`;
const suffix = `benchhot${run}`;
const admin = createKafkaClient({
  clientId: 'bench-hot-deal',
  brokers: settings.KAFKA_BROKERS,
  logger: createLogger({ service: 'bench-hot-deal', level: 'silent' }),
}).admin();
await admin.connect();
const platform = await startPlatform({
  prefix,
  databaseSuffix: suffix,
  logDir: join(repoRoot, '.stack', 'logs', 'bench-hot-deal'),
  // Every buyer comes from this one address: the per-address limit would answer for the gate.
  env: { LOG_LEVEL: args['log-level']!, RATE_LIMIT_PER_IP: '100000000' },
  // The gate-off run queues every buyer's saga: measure the rush, not the saga deadline.
  envOf: { order: { SAGA_DEADLINE: '3600' } },
});
let exitCode = 1;
try {
  const credentials = await stackCredentials();
  const session = openSession({ platform, postgresUrl: settings.POSTGRES_URL, admin, credentials });
  const product = (productId: string, hotDeal: boolean) => ({
    productId,
    name: productId,
    priceMinor: 1_999,
    currency: 'EUR',
    stock: units,
    hotDeal,
  });
  await session.seed([
    product('gated', true),
    product('ungated', false),
    { ...product('warm-up', true), stock: 0 },
  ]);
  // Tokens are signed before the rush: the latencies are the platform's, not the client's.
  const customers = ['warm-up', 'gated', 'ungated'].flatMap((productId) =>
    Array.from({ length: buyers }, (_, buyer) => customerOf(productId, buyer)),
  );
  await mapConcurrently(customers, 4, (customerId) => credentials.customer(customerId));
  // Refusals of a sold-out hot deal run the request path hot without starting a saga.
  await rush(session, 'warm-up');
  const before = await holdCounts(platform.url('order'));
  const gated = await rush(session, 'gated');
  const counted = await holdCounts(platform.url('order'));
  const holds = Object.fromEntries(
    Object.entries(counted).map(([event, n]) => [event, n - before[event as keyof HoldCounts]]),
  ) as HoldCounts;
  const ungated = await rush(session, 'ungated');
  printFigures(gated, ungated);
  console.log(
    `  gate holds       ${holds.taken} taken, ${holds.refused} refused, ${holds.consumed} consumed, ${holds.released} released, ${holds.expired} expired, ${holds.skipped} skipped`,
  );
  const report = await session.checkInvariants();
  console.log(
    report.passed
      ? '  invariants       ✓ all held once quiescent'
      : `  invariants       ✗ broken:\n${describeViolations(report)}`,
  );
  await session.close();
  const oversold = [gated, ungated].some((figures) => figures.completed > units);
  exitCode = report.passed && !oversold ? 0 : 1;
} finally {
  await platform.stop();
  await resetDemoState(admin, { postgresUrl: settings.POSTGRES_URL, prefix, suffix });
  await admin.disconnect();
}
process.exit(exitCode);

/** Each buyer of each product is a customer of its own. */
function customerOf(productId: string, buyer: number) {
  return `${productId}-buyer-${buyer}`;
}

/** Every buyer tries to buy one unit of `productId` at once; figures once every saga ended. */
async function rush(session: SagaSession, productId: string): Promise<RushFigures> {
  const began = performance.now();
  const answers = await mapConcurrently(
    Array.from({ length: buyers }, (_, buyer) => buyer),
    concurrency,
    async (buyer) => {
      const request = orderRequest({ customerId: customerOf(productId, buyer), productId });
      const sent = performance.now();
      const answer = await session.orders.post(request, newIdempotencyKey());
      return { status: answer.status, ms: performance.now() - sent };
    },
  );
  const latencies = (status: number) =>
    answers.filter((answer) => answer.status === status).map((answer) => answer.ms);
  const other: Record<number, number> = {};
  for (const { status } of answers.filter((a) => a.status !== 202 && a.status !== 409)) {
    other[status] = (other[status] ?? 0) + 1;
  }

  const { order, payment, inventory } = session.databases;
  const ordersOf = `SELECT order_id FROM order_items WHERE product_id = '${productId}'`;
  // Read in the order database: cheaper than one waiting GET per order for thousands of them.
  for (;;) {
    const { rows } = await order.query<{ open: number }>(
      `SELECT count(*)::int AS open FROM orders WHERE id IN (${ordersOf}) AND status NOT IN ('COMPLETED', 'CANCELED')`,
    );
    if (rows[0]!.open === 0) break;
    await sleep(500);
  }
  const seconds = (performance.now() - began) / 1000;
  await session.quiesce();

  const ended = await order.query<{ id: string; status: string }>(
    `SELECT id, status FROM orders WHERE id IN (${ordersOf})`,
  );
  const count = (status: string) => ended.rows.filter((row) => row.status === status).length;
  const money = await payment.query<{ kind: string; n: number }>(
    `SELECT kind, count(*)::int AS n FROM payments
     WHERE order_id = ANY($1::text[]) AND status = 'COMPLETED' GROUP BY kind`,
    [ended.rows.map((row) => row.id)],
  );
  const made = (kind: string) => money.rows.find((row) => row.kind === kind)?.n ?? 0;
  const stock = await inventory.query<{ available: number; reserved: number }>(
    'SELECT available_quantity AS available, reserved_quantity AS reserved FROM inventory WHERE product_id = $1',
    [productId],
  );
  return {
    accepted: latencies(202).length,
    refused: latencies(409).length,
    other,
    completed: count('COMPLETED'),
    canceled: count('CANCELED'),
    charges: made('CHARGE'),
    refunds: made('REFUND'),
    refusalMs: summarize(latencies(409)),
    acceptMs: summarize(latencies(202)),
    seconds,
    available: stock.rows[0]!.available,
    reserved: stock.rows[0]!.reserved,
  };
}

function printFigures(gated: RushFigures, ungated: RushFigures): void {
  const msText = (value: number) => (Number.isNaN(value) ? '—' : `${value.toFixed(1)} ms`);
  const rows: [string, (f: RushFigures) => string][] = [
    ['accepted (202)', (f) => String(f.accepted)],
    ['refused (409)', (f) => String(f.refused)],
    ['other answers', (f) => JSON.stringify(f.other)],
    ['completed orders', (f) => String(f.completed)],
    ['canceled orders', (f) => String(f.canceled)],
    ['charges made', (f) => String(f.charges)],
    ['refunds made', (f) => String(f.refunds)],
    ['refusal p50', (f) => msText(f.refusalMs.p50)],
    ['refusal p99', (f) => msText(f.refusalMs.p99)],
    ['acceptance p99', (f) => msText(f.acceptMs.p99)],
    ['rush to last end', (f) => `${f.seconds.toFixed(1)} s`],
    ['stock left', (f) => `${f.available} available, ${f.reserved} reserved`],
  ];
  console.log(`  ${''.padEnd(18)} ${'gate on'.padEnd(28)} gate off`);
  for (const [name, value] of rows) {
    console.log(`  ${name.padEnd(18)} ${value(gated).padEnd(28)} ${value(ungated)}`);
  }
}
