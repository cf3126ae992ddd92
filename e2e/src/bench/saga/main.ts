// `npm run bench -- saga`: the platform's own job, measured. Starts the gateway simulator and the
// four services as the demo does, drives orders through the HTTP API (closed or open loop), and
// prints sagas/s, saga latency, CPU per saga of every process and PostgreSQL commits per saga;
// checks the invariants once quiescent and exits non-zero on a violation.
//
// `--sweep 10,20,40` runs the open loop at each rate in turn (`--seconds` each) on one platform,
// seeded and warmed up once; it prints a line per step, stops at the first step the platform does
// not keep up with (sagas ending below 90 % of the offered rate, or p99 over 5 s), and draws saga
// latency p50 and p99 against the offered rate to `--chart` (default saga-latency.png). Relative
// `--json` and `--chart` paths are taken from the directory npm was run in.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import { stackCredentials } from '@saga/shared/testing';
import pg from 'pg';
import { resetDemoState } from '../../demo/platform.js';
import { repoRoot, stackSettings, startPlatform } from '../../launcher/index.js';
import { describeViolations, openSession } from '../../saga/session.js';
import { cpuReading, cpuSince } from '../cpu.js';
import { writeLatencyChart } from './chart.js';
import { drive, type Load, unexpected } from './load.js';
import {
  DEFAULT_MIX,
  PRODUCTS_IN_STOCK,
  parseMix,
  productInStock,
  SOLD_OUT_PRODUCT,
} from './mix.js';
import { countCpu } from './process-cpu.js';
import { figures, msText, printFigures, type SagaFigures } from './report.js';
import { cpuSources } from './sources.js';

const DEFAULT_SWEEP = '10,20,40,60,80,100';
/** A sweep step keeps up when its sagas end at no less than this share of the offered rate… */
const KEEP_UP_SHARE = 0.9;
/** …and its p99 stays under this. */
const P99_LIMIT_MS = 5_000;

const argv = process.argv.slice(2);
// A bare `--sweep` (last, or followed by another option) sweeps the default rates.
const sweepAt = argv.indexOf('--sweep');
if (sweepAt >= 0 && (argv[sweepAt + 1] ?? '--').startsWith('--')) {
  argv.splice(sweepAt + 1, 0, DEFAULT_SWEEP);
}
const { values: args } = parseArgs({
  args: argv,
  options: {
    concurrency: { type: 'string', default: '32' },
    orders: { type: 'string', default: '2000' },
    rate: { type: 'string' },
    sweep: { type: 'string' },
    seconds: { type: 'string', default: '20' },
    mix: { type: 'string' },
    // V8's optimizing compiler and the broker's JVM take a few thousand sagas to settle: a cold
    // run measures their compiling too, and spends far more CPU per saga than a warm one.
    warmup: { type: 'string', default: '3000' },
    json: { type: 'string' },
    chart: { type: 'string' },
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
const sweep = args.sweep
  ?.split(',')
  .map((text) => {
    const rate = Number(text);
    if (!(rate > 0)) throw new Error('--sweep: expected rates in orders/s, e.g. 10,20,40');
    return rate;
  })
  .sort((a, b) => a - b);
if (sweep && args.rate) throw new Error('--sweep and --rate exclude each other');
if (args.chart && !sweep) throw new Error('--chart draws a sweep: give --sweep too');
const load: Load = args.rate
  ? { mode: 'open', rate: number('rate'), seconds: number('seconds') }
  : { mode: 'closed', concurrency: number('concurrency'), orders: number('orders') };
const describeOpen = (rate: number) => `open loop, ${rate} orders/s for ${number('seconds')} s`;
const describeLoad = sweep
  ? `open-loop sweep of ${sweep.join(', ')} orders/s, ${number('seconds')} s each`
  : load.mode === 'closed'
    ? `closed loop, concurrency ${load.concurrency}, ${load.orders} orders`
    : describeOpen(load.rate);
const warmup = Number(args.warmup);
/** Clients of the warm-up, whatever the measured load: it only has to run the code hot. */
const WARMUP_CONCURRENCY = 32;
/** npm runs the benchmark in the repository; a relative path is the user's. */
const outputPath = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);

console.log(`Saga benchmark · ${describeLoad} · mix ${JSON.stringify(mix)}`);
const exitCode = await onPlatform(sweep ? (measure) => runSweep(measure, sweep) : runOnce);
process.exit(exitCode);

/** One measured run: figures of `load` on a platform already warmed up. */
type Measure = (load: Load, description: string) => Promise<SagaFigures>;
/** What a benchmark found: for --json, and whether its sagas all ended as their kind says. */
type Outcome = { json: object; expectedOutcomes: boolean };

/**
 * Starts the platform, seeds it, warms it up, lets `bench` measure,
 * checks the invariants, writes --json, and tears everything down. Gives the exit code.
 */
async function onPlatform(bench: (measure: Measure) => Promise<Outcome>): Promise<number> {
  const settings = stackSettings();
  const credentials = await stackCredentials();
  const id = randomBytes(3).toString('hex');
  const prefix = `benchsaga${id}.`;
  const suffix = `benchsaga${id}`;
  const admin = createKafkaClient({
    clientId: 'bench-saga',
    brokers: settings.KAFKA_BROKERS,
    logger: createLogger({ service: 'bench-saga', level: 'silent' }),
  }).admin();
  await admin.connect();

  const platform = await startPlatform({
    prefix,
    databaseSuffix: suffix,
    logDir: join(repoRoot, '.stack', 'logs', 'bench-saga'),
    env: { LOG_LEVEL: args['log-level']! },
    // Each process writes its profile to the folder when it stops (open it in Chrome DevTools).
    ...(args['cpu-prof'] && { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] }),
  });
  try {
    const session = openSession({
      platform: platform,
      postgresUrl: settings.POSTGRES_URL,
      admin,
      credentials,
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
    let next = 0;
    if (warmup > 0) {
      const warm: Load = { mode: 'closed', concurrency: WARMUP_CONCURRENCY, orders: warmup };
      const started = performance.now();
      ({ next } = await drive(orders, mix, warm));
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      console.log(`  warm-up: ${warmup} orders in ${seconds} s, not counted`);
    }

    const commits = commitCounter(settings.POSTGRES_URL, Object.values(platform.databases));
    const measure: Measure = async (load, description) => {
      const commitsBefore = await commits();
      const cpu = countCpu(cpuSources(platform));
      const machine = cpuReading();
      const run = await drive(orders, mix, load, next);
      next = run.next;
      const cpuMs = cpu.stop();
      const busy = cpuSince(machine);
      // Backends publish their counters within a second or two; read them before the invariant
      // checks' own queries (or the next step's load) run in the same databases.
      await sleep(2_000);
      return figures({
        load: description,
        samples: run.samples,
        seconds: run.seconds,
        cpuMs,
        commits: (await commits()) - commitsBefore,
        machine: busy,
        unexpectedOutcomes: unexpected(run.samples).length,
      });
    };

    const outcome = await bench(measure);
    const report = await session.checkInvariants();
    console.log(
      report.passed
        ? '  invariants       ✓ all held once quiescent'
        : `  invariants       ✗ broken:\n${describeViolations(report)}`,
    );
    if (args.json) {
      writeFileSync(outputPath(args.json), `${JSON.stringify(outcome.json, null, 2)}\n`);
    }
    await session.close();
    return report.passed && outcome.expectedOutcomes ? 0 : 1;
  } finally {
    await platform.stop();
    await resetDemoState(admin, { postgresUrl: settings.POSTGRES_URL, prefix, suffix });
    await admin.disconnect();
  }
}

async function runOnce(measure: Measure): Promise<Outcome> {
  const result = await measure(load, describeLoad);
  printFigures(result);
  return { json: { ...result, mix }, expectedOutcomes: result.unexpectedOutcomes === 0 };
}

async function runSweep(measure: Measure, rates: readonly number[]): Promise<Outcome> {
  const seconds = number('seconds');
  const steps: (SagaFigures & { offeredPerSecond: number; keptUp: boolean })[] = [];
  let stopped: string | undefined;
  for (const rate of rates) {
    const result = await measure({ mode: 'open', rate, seconds }, describeOpen(rate));
    const behind = result.completionsPerSecond < KEEP_UP_SHARE * rate;
    const slow = result.sagaMs.p99 > P99_LIMIT_MS;
    steps.push({ offeredPerSecond: rate, keptUp: !behind && !slow, ...result });
    printStep(rate, result);
    if (behind || slow) {
      stopped = behind
        ? `sagas ended at ${result.completionsPerSecond.toFixed(1)}/s, under ${KEEP_UP_SHARE * 100} % of ${rate}/s`
        : `p99 ${msText(result.sagaMs.p99)} over ${msText(P99_LIMIT_MS)}`;
      const skipped = rates.length - steps.length;
      console.log(
        `  ✗ stopped: the platform did not keep up with ${rate} orders/s (${stopped})` +
          (skipped > 0 ? `; ${skipped} higher rate(s) not run` : ''),
      );
      break;
    }
  }
  const chart = outputPath(args.chart ?? 'saga-latency.png');
  const cpu = cpus();
  writeLatencyChart(chart, {
    title: 'Saga latency against offered rate',
    subtitle: [
      `${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB · open loop, ${seconds} s a step after ${warmup} warm-up orders · ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      `mix ${Object.entries(mix)
        .map(([kind, weight]) => `${kind} ${weight}`)
        .join(' · ')}${stopped ? ` · stopped: ${stopped}` : ''}`,
    ],
    points: steps.map((step) => ({
      rate: step.offeredPerSecond,
      p50Ms: step.sagaMs.p50,
      p99Ms: step.sagaMs.p99,
      keptUp: step.keptUp,
    })),
  });
  console.log(`  chart            ${chart}`);
  return {
    json: { mix, sweep: { rates, seconds, warmup, stopped: stopped ?? null }, steps },
    expectedOutcomes: steps.every((step) => step.unexpectedOutcomes === 0),
  };
}

function printStep(rate: number, f: SagaFigures): void {
  const parts = [
    `${String(rate).padStart(5)}/s offered`,
    `${f.completionsPerSecond.toFixed(1)}/s ended`,
    `p50 ${msText(f.sagaMs.p50)}`,
    `p95 ${msText(f.sagaMs.p95)}`,
    `p99 ${msText(f.sagaMs.p99)}`,
    `max ${msText(f.sagaMs.max)}`,
    `CPU ${f.cpuMsPerSagaTotal.toFixed(1)} ms/saga`,
    `busy ${f.machineBusyPercent.toFixed(0)} %`,
    `${f.sagas} sagas`,
    ...(f.unexpectedOutcomes ? [`${f.unexpectedOutcomes} UNEXPECTED`] : []),
  ];
  console.log(`  ${parts.join(' · ')}`);
}

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
