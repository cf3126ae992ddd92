// `npm run bench -- saga`: the platform's own job, measured. Starts the gateway simulator and the
// four services as the demo does, drives orders through the HTTP API (closed or open loop), and
// prints sagas/s, saga latency, CPU per saga of every process and PostgreSQL commits per saga;
// checks the invariants once quiescent and exits non-zero on a violation.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import pg from 'pg';
import { resetDemoState } from '../../demo/platform.js';
import { repoRoot, stackSettings, startPlatform } from '../../launcher/index.js';
import { describeViolations, openSession } from '../../saga/session.js';
import { cpuReading, cpuSince } from '../cpu.js';
import { drive, type Load, unexpected } from './load.js';
import {
  DEFAULT_MIX,
  PRODUCTS_IN_STOCK,
  parseMix,
  productInStock,
  SOLD_OUT_PRODUCT,
} from './mix.js';
import { countCpu } from './process-cpu.js';
import { figures, printFigures } from './report.js';
import { cpuSources } from './sources.js';

const { values: args } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '32' },
    orders: { type: 'string', default: '2000' },
    rate: { type: 'string' },
    seconds: { type: 'string', default: '20' },
    mix: { type: 'string' },
    warmup: { type: 'string', default: '200' },
    json: { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    'cpu-prof': { type: 'string' },
  },
});

const number = (name: keyof typeof args) => {
  const value = Number(args[name]);
  if (!(value > 0)) throw new Error(`--${name} must be a positive number`);
  return value;
};
const mix = args.mix ? parseMix(args.mix) : DEFAULT_MIX;
const load: Load = args.rate
  ? { mode: 'open', rate: number('rate'), seconds: number('seconds') }
  : { mode: 'closed', concurrency: number('concurrency'), orders: number('orders') };
const describeLoad =
  load.mode === 'closed'
    ? `closed loop, concurrency ${load.concurrency}, ${load.orders} orders`
    : `open loop, ${load.rate} orders/s for ${load.seconds} s`;
const warmup = Number(args.warmup);

const settings = stackSettings();
const id = randomBytes(3).toString('hex');
const prefix = `benchsaga${id}.`;
const suffix = `benchsaga${id}`;
const admin = createKafkaClient({
  clientId: 'bench-saga',
  brokers: settings.KAFKA_BROKERS,
  logger: createLogger({ service: 'bench-saga', level: 'silent' }),
}).admin();
await admin.connect();

console.log(`Saga benchmark · ${describeLoad} · mix ${JSON.stringify(mix)}`);
const platform = await startPlatform({
  prefix,
  databaseSuffix: suffix,
  logDir: join(repoRoot, '.stack', 'logs', 'bench-saga'),
  env: { LOG_LEVEL: args['log-level']! },
  // Each process writes its profile to the folder when it stops (open it in Chrome DevTools).
  ...(args['cpu-prof'] && { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] }),
});
let exitCode = 1;
try {
  const session = openSession({
    prefix,
    orderUrl: platform.url('order'),
    inventoryUrl: platform.url('inventory'),
    postgresUrl: settings.POSTGRES_URL,
    databases: platform.databases,
    admin,
  });
  const product = (productId: string, stock: number) => ({
    productId,
    name: productId,
    priceMinor: 1999,
    currency: 'EUR',
    stock,
  });
  await session.seed([
    ...Array.from({ length: PRODUCTS_IN_STOCK }, (_, i) => product(productInStock(i), 1e9)),
    product(SOLD_OUT_PRODUCT, 0),
  ]);

  const orders = session.orders;
  let first = 0;
  if (warmup > 0) {
    const concurrency = load.mode === 'closed' ? load.concurrency : 8;
    ({ next: first } = await drive(orders, mix, { mode: 'closed', concurrency, orders: warmup }));
    console.log(`  warm-up: ${warmup} orders, not counted`);
  }

  const commits = commitCounter(settings.POSTGRES_URL, Object.values(platform.databases));
  const commitsBefore = await commits();
  const cpu = countCpu(cpuSources(platform));
  const machine = cpuReading();
  const run = await drive(orders, mix, load, first);
  const cpuMs = cpu.stop();
  const busy = cpuSince(machine);
  // Backends publish their counters within a second or two; read them before the invariant
  // checks' own queries run in the same databases.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const commitCount = (await commits()) - commitsBefore;

  const result = figures({
    load: describeLoad,
    samples: run.samples,
    seconds: run.seconds,
    cpuMs,
    commits: commitCount,
    machine: busy,
    unexpectedOutcomes: unexpected(run.samples).length,
  });
  printFigures(result);
  const report = await session.checkInvariants();
  console.log(
    report.passed
      ? '  invariants       ✓ all held once quiescent'
      : `  invariants       ✗ broken:\n${describeViolations(report)}`,
  );
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ ...result, mix }, null, 2)}\n`);
  await session.close();
  exitCode = report.passed && result.unexpectedOutcomes === 0 ? 0 : 1;
} finally {
  await platform.stop();
  await resetDemoState(admin, { postgresUrl: settings.POSTGRES_URL, prefix, suffix });
  await admin.disconnect();
}
process.exit(exitCode);

/** Transactions committed so far in the platform's databases (PostgreSQL's own statistics). */
function commitCounter(postgresUrl: string, databases: readonly (string | undefined)[]) {
  return async () => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ commits: string }>(
        'SELECT coalesce(sum(xact_commit), 0) AS commits FROM pg_stat_database WHERE datname = ANY($1)',
        [databases],
      );
      return Number(rows[0]!.commits);
    } finally {
      await client.end();
    }
  };
}
