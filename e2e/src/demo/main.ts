// The demo behind `npm start`: run by deploy/local/start.mjs once the stack is up.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import { stackCredentials } from '@saga/shared/testing';
import { type Platform, repoRoot, stackSettings, startPlatform } from '../launcher/index.js';
import { CARDS, newIdempotencyKey, orderRequest } from '../saga/orders.js';
import { openSession } from '../saga/session.js';
import { waitForTerminal } from '../saga/wait.js';
import { SERVICE_NAMES } from '../services.js';
import { residentBytesOf } from './memory.js';
import { choosePorts, resetDemoState } from './platform.js';
import {
  asExpected,
  invariantLines,
  latencyLine,
  memoryTable,
  type SagaOutcome,
  sagaTable,
} from './report.js';
import { DEMO_ORDERS, DEMO_PRODUCTS } from './scenario.js';
import { bold, columns, dim, duration, failed, ok, red, yellow } from './terminal.js';

const PREFIX = 'demo.';
const SUFFIX = 'demo';
const once = process.argv.includes('--once');
const width = Math.min(process.stdout.columns || 100, 120);
const logDir = join(repoRoot, '.stack', 'logs', 'demo');
const lockFile = join(repoRoot, '.stack', 'demo.pid');
const tty = Boolean(process.stdout.isTTY);

class Interrupted extends Error {}

let platform: Platform | undefined;
let stopping: Promise<void> | undefined;
let interrupted = false;

/** Runs one step, shown as `… label` while it runs and `✓ label (time)` once done. */
async function step<T>(label: string, work: () => Promise<T>, detail?: (result: T) => string) {
  if (tty) process.stdout.write(`  ${dim('…')} ${label}`);
  const begin = Date.now();
  try {
    const result = await work();
    if (interrupted) throw new Interrupted();
    const extra = detail ? `${detail(result)}, ` : '';
    if (tty) process.stdout.write('\r\x1b[K');
    console.log(`  ${ok} ${label} ${dim(`(${extra}${duration(Date.now() - begin)})`)}`);
    return result;
  } catch (error) {
    if (tty) process.stdout.write('\r\x1b[K');
    if (!interrupted) console.log(`  ${failed} ${label}`);
    throw interrupted ? new Interrupted() : error;
  }
}

function stopPlatform(): Promise<void> {
  stopping ??= (async () => {
    await platform?.stop();
    rmSync(lockFile, { force: true });
  })();
  return stopping;
}

/** One demo at a time: it owns the demo databases, topics and the default ports. */
function takeLock() {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    process.kill(pid, 0);
    console.error(`\nA demo is already running (pid ${pid}). Stop it with Ctrl-C first.`);
    process.exit(1);
  } catch {
    // no lock file, or its process is gone
  }
  mkdirSync(join(repoRoot, '.stack'), { recursive: true });
  writeFileSync(lockFile, String(process.pid));
}

function onSignals() {
  let signals = 0;
  const stop = () => {
    interrupted = true;
    if (++signals > 1) {
      for (const handle of platform?.processes() ?? []) void handle.kill();
      process.exit(130);
    }
    console.log(`\n${dim('Stopping the services gracefully…')}`);
    stopPlatform().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Started by start.mjs: if it dies, stop too rather than run on unattended.
  if (process.channel) {
    process.channel.unref();
    process.on('disconnect', stop);
  }
}

async function run(): Promise<number> {
  const settings = stackSettings();
  const credentials = await stackCredentials();
  const logs = relative(process.cwd(), logDir) || logDir;
  takeLock();
  onSignals();
  const admin = createKafkaClient({
    clientId: 'saga-demo',
    brokers: settings.KAFKA_BROKERS,
    logger: createLogger({ service: 'saga-demo', level: 'silent' }),
  }).admin();
  await admin.connect();

  await step('Previous demo run wiped: databases saga_*_demo, topics demo.*', () =>
    resetDemoState(admin, { postgresUrl: settings.POSTGRES_URL, prefix: PREFIX, suffix: SUFFIX }),
  );
  const { ports, moved } = await choosePorts();
  for (const kind of moved) {
    console.log(`  ${yellow('!')} port in use: ${kind} listens on ${ports[kind]} instead`);
  }
  platform = await step(
    'Gateway simulator and 4 services ready',
    () => startPlatform({ prefix: PREFIX, databaseSuffix: SUFFIX, ports, logDir }),
    () => `logs in ${logs}/`,
  );
  const running = platform;
  for (const handle of running.processes()) {
    void handle.exited.then((status) => {
      if (stopping) return;
      console.error(
        `\n${red(`${handle.name} exited (${status.signal ?? `code ${status.code}`})`)}; ` +
          `its log: ${relative(process.cwd(), handle.logFile)}`,
      );
      void stopPlatform().then(() => process.exit(1));
    });
  }

  const session = openSession({
    platform: running,
    postgresUrl: settings.POSTGRES_URL,
    admin,
    credentials,
  });
  await step(
    `${DEMO_PRODUCTS.length} products seeded, order-service's price replica caught up`,
    () => session.seed(DEMO_PRODUCTS),
  );
  const names = running.processes().map((handle) => handle.name);
  await sleep(1_000); // let start-up work settle before measuring idle memory
  const idle = await residentBytesOf(running.processes());

  const orderIds = await step(
    `${DEMO_ORDERS.length} orders placed at once, every saga ended`,
    async () => {
      const placed = await Promise.all(
        DEMO_ORDERS.map((demo) => session.orders.place(orderRequest(demo), newIdempotencyKey())),
      );
      await waitForTerminal(session.orders, placed, 60_000);
      return placed;
    },
  );
  const report = await step('Invariants checked once the platform was quiescent', () =>
    session.checkInvariants(),
  );
  // Read once quiescent: a saga may end before every event of it reached order-service.
  const outcomes = await Promise.all(
    DEMO_ORDERS.map(
      async (demo, index): Promise<SagaOutcome> => ({
        demo,
        order: await session.orders.get(orderIds[index]!),
      }),
    ),
  );
  const after = await residentBytesOf(running.processes());
  await session.close();
  await admin.disconnect();

  const mismatches = outcomes.filter((outcome) => !asExpected(outcome)).length;
  console.log(
    `\n${bold('Sagas')} ${dim('(timeline: event +ms since the order was accepted)')}\n` +
      sagaTable(outcomes, width).join('\n'),
  );
  const verdict =
    mismatches === 0
      ? `${ok} every saga ended as expected`
      : `${failed} ${mismatches} saga(s) ended differently from what the demo expected`;
  console.log(`  ${verdict}`);
  console.log(
    `\n${bold('Invariants')} ${dim('(checked once quiescent)')}\n${invariantLines(report).join('\n')}`,
  );
  const waitedOutTimeout = outcomes.some(
    ({ demo, order }) => demo.token === CARDS.timedOutButCharged && order.status === 'COMPLETED',
  );
  const note = waitedOutTimeout ? '— the slowest waits out the gateway timeout (2 s)' : '';
  console.log(`\n${latencyLine(outcomes, note)}`);
  console.log(
    `\n${bold('Memory')} ${dim('(RSS: idle before the orders, and after them)')}\n` +
      memoryTable(names, idle, after).join('\n'),
  );

  const code = mismatches === 0 && report.passed ? 0 : 1;
  if (once) {
    await stopPlatform();
    console.log(`\n${dim(`Stopped. Service logs: ${logs}/`)}`);
    return code;
  }
  printServices(running, logs);
  return new Promise<number>(() => {}); // runs until a signal stops it
}

function printServices(running: Platform, logs: string) {
  const rows = SERVICE_NAMES.map((service) => {
    const url = running.url(service);
    const api = service === 'order' ? '/orders' : service === 'inventory' ? '/products/:id' : '';
    return [
      `${service}-service`,
      url,
      dim([api, '/metrics', '/readyz'].filter(Boolean).join('  ')),
    ];
  });
  rows.push(['payment gateway', running.gateway.url, dim('/admin/stats  /admin/config')]);
  console.log(`\n${bold('Running')} ${dim(`(logs: ${logs}/<name>.log)`)}`);
  console.log(columns(rows).join('\n'));
  const order = running.url('order');
  // The API wants a bearer token: `npm run token` signs one with the stack's key.
  console.log(
    `\n  Try ${bold('TOKEN=$(npm run -s token -- --customer ana)')}\n` +
      `      ${bold(`curl -s -H "Authorization: Bearer $TOKEN" ${order}/orders`)}, ` +
      'or POST one (see order-service/README.md).',
  );
  console.log(`  Press ${bold('Ctrl-C')} to stop.`);
}

run().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    if (error instanceof Interrupted || interrupted) return; // the signal handler exits
    console.error(`\n${red('The demo failed:')} ${(error as Error).message ?? error}`);
    console.error(dim(`Service logs: ${relative(process.cwd(), logDir)}/`));
    await stopPlatform().catch(() => {});
    process.exit(1);
  },
);
