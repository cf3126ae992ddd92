import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import { stackCredentials } from '@saga/shared/testing';
import { resetDemoState } from '../demo/platform.js';
import {
  checkInvariants,
  countDeadLetters,
  type InvariantResult,
  type PlatformDatabases,
} from '../invariants/index.js';
import { stackSettings } from '../launcher/index.js';
import { type OrderApi, orderApi } from '../saga/api.js';
import { waitForQuiescence } from '../saga/quiescence.js';
import { openSession } from '../saga/session.js';
import { SERVICE_NAMES } from '../services.js';
import { CHAOS_SAGA_DEADLINE_SECONDS, type Cluster, startCluster } from './cluster.js';
import { allowedOutcomes } from './expected.js';
import type { Fault, FaultContext, FaultKind } from './faults/fault.js';
import { CHAOS_PRODUCTS, driveLoad, planOrders } from './load.js';
import { seededRandom } from './random.js';
import { type ChaosReport, outcomeOf } from './report.js';
import { faultsOf, type Scenario } from './scenarios.js';

export interface ChaosOptions {
  scenario: Scenario;
  /** Orders sent. Default 200. */
  orders?: number;
  /** Orders per second, open loop. Default 4. */
  rate?: number;
  /** Decides the orders and the fault schedule. Default 1. */
  seed?: number;
  /** With scenario `all`: the fault kinds to inject, instead of every one. */
  faultKinds?: readonly FaultKind[];
  /** Instances of every service. Default 2. */
  instances?: number;
  /** How long to wait for quiescence once the load stopped. Default 120 s. */
  quiescenceTimeoutMs?: number;
  logDir?: string;
  /** Progress lines while running (the CLI prints them). */
  onProgress?: (line: string) => void;
}

/** A finished run whose databases and topics are kept, to check them again (tests). */
export interface KeptRun {
  report: ChaosReport;
  databases: PlatformDatabases;
  prefix: string;
  /** Checks the invariants again against what the run left, as they are now. */
  recheck(): Promise<InvariantResult[]>;
  /** Drops the run's databases, topics and consumer groups. */
  dispose(): Promise<void>;
}

/** Runs a scenario end to end and cleans up: the report says whether the platform held. */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const run = await runChaosKeepingData(options);
  await run.dispose();
  return run.report;
}

/**
 * GET /orders/:id from whichever order-service instance answers (one may be restarting), as an
 * operator: the report reads every customer's orders.
 */
function failoverOrderReads(apis: readonly OrderApi[]): Pick<OrderApi, 'get'> {
  return {
    async get(orderId) {
      let failure: unknown;
      for (const api of apis) {
        try {
          return await api.get(orderId);
        } catch (error) {
          failure = error;
        }
      }
      throw failure;
    },
  };
}

export async function runChaosKeepingData(options: ChaosOptions): Promise<KeptRun> {
  const { scenario, orders = 200, rate = 4, seed = 1, instances = 2 } = options;
  const progress = options.onProgress ?? (() => {});
  const begin = Date.now();
  const id = `${seed}x${randomBytes(3).toString('hex')}`;
  const prefix = `chaos${id}.`;
  const suffix = `chaos${id}`;
  const settings = stackSettings();
  const credentials = await stackCredentials();
  const kafka = createKafkaClient({
    clientId: 'saga-chaos',
    brokers: settings.KAFKA_BROKERS,
    logger: createLogger({ service: 'saga-chaos', level: 'silent' }),
  });
  const admin = kafka.admin();
  await admin.connect();
  const dispose = async () => {
    try {
      await resetDemoState(admin, { postgresUrl: settings.POSTGRES_URL, prefix, suffix });
    } finally {
      // A connected admin keeps the process alive, whatever the cleanup ran into.
      await admin.disconnect();
    }
  };

  const random = seededRandom(seed);
  const plan = planOrders(random.fork('orders'), orders, rate);
  const faults = faultsOf(scenario, orders, options.faultKinds);
  const report: ChaosReport = {
    scenario,
    seed,
    rate,
    sagaDeadlineSeconds: CHAOS_SAGA_DEADLINE_SECONDS,
    faultKinds: faults.map((fault) => fault.kind),
    placed: [],
    faults: [],
    faultErrors: [],
    exits: [],
    failedRestarts: [],
    quiescence: { reached: false, afterMs: 0, unsettled: [] },
    invariants: [],
    outcomes: {},
    deadLetters: Object.fromEntries(
      SERVICE_NAMES.map((name) => [name, 0]),
    ) as ChaosReport['deadLetters'],
    durationMs: 0,
  };
  let loadStart = Date.now();
  const since = () => Date.now() - loadStart;

  const aborted = new AbortController();
  let cluster: Cluster | undefined;
  let session: ReturnType<typeof openSession> | undefined;
  try {
    progress(`starting the gateway and ${instances} instances of every service (${prefix}*)`);
    cluster = await startCluster({
      prefix,
      databaseSuffix: suffix,
      instances,
      gatewaySeed: seed,
      logDir: options.logDir,
      serviceEnv: Object.assign({}, ...faults.map((fault) => fault.serviceEnv ?? {})),
    });
    const record = (kind: FaultKind) => (what: string) => {
      report.faults.push({ atMs: since(), kind, what });
      progress(`+${since()} ms ${kind}: ${what}`);
    };
    cluster.supervise((exit) => {
      for (const fault of faults) {
        const env = fault.explainExit?.(exit, record(fault.kind));
        if (env) return env;
      }
      report.exits.push({ atMs: since(), ...exit });
      progress(`+${since()} ms ${exit.name} exited on its own (${exit.status}), restarting`);
      return undefined;
    });
    const { platform } = cluster;
    session = openSession({
      platform: platform,
      postgresUrl: settings.POSTGRES_URL,
      admin,
      credentials,
    });
    progress('seeding the products');
    await session.seed(CHAOS_PRODUCTS);

    const loadMs = (orders * 1_000) / rate;
    const orderApis = (platform.services.order ?? []).map((handle) =>
      orderApi(handle.url, credentials),
    );
    progress(`sending ${orders} orders at ${rate}/s with faults: ${report.faultKinds.join(', ')}`);
    loadStart = Date.now();
    const load = driveLoad(plan, orderApis, loadStart, aborted.signal);
    const injections = faults.map((fault) => inject(fault, faultContext(fault)));
    function faultContext(fault: Fault): FaultContext {
      // Aborted with the run, but a signal of its own: on the run's, each wait of every fault
      // under way would add an abort listener to one signal, past Node's warning threshold.
      const signal = AbortSignal.any([aborted.signal]);
      return {
        cluster: cluster!,
        kafka,
        admin,
        prefix,
        random: random.fork(fault.kind),
        loadMs,
        at: (ms) =>
          sleep(Math.max(0, loadStart + ms - Date.now()), undefined, { signal }).catch(() => {}),
        record: record(fault.kind),
        signal,
      };
    }
    async function inject(fault: Fault, context: FaultContext) {
      try {
        await fault.inject(context);
      } catch (error) {
        report.faultErrors.push(`${fault.kind}: ${(error as Error).message}`);
      }
    }
    report.placed = await load;
    await Promise.all(injections);
    const loadEnded = Date.now();

    progress('load done, waiting for quiescence');
    const unsettled = await waitForQuiescence(
      admin,
      prefix,
      session.databases,
      options.quiescenceTimeoutMs ?? 120_000,
    );
    report.quiescence = {
      reached: unsettled.length === 0,
      afterMs: Date.now() - loadEnded,
      unsettled,
    };
    report.deadLetters = await countDeadLetters(admin, prefix);
    report.invariants = await checkInvariants({
      databases: session.databases,
      initialStock: session.initialStock,
      deadLetters: report.deadLetters,
    });
    // Crash points stay armed while the platform settles: read through instances that are up.
    await cluster.whenRunning();
    report.outcomes = await outcomeOf(
      failoverOrderReads(orderApis),
      platform.gateway.url,
      report.placed,
      allowedOutcomes(plan, CHAOS_PRODUCTS),
      report.invariants,
    );
    report.failedRestarts = cluster.failedRestarts;
  } catch (error) {
    // Clean up what can be, but fail with the error that stopped the run.
    aborted.abort();
    await session?.close().catch(() => {});
    await cluster?.stop().catch(() => {});
    await dispose().catch((cleanup: Error) => progress(`cleanup failed: ${cleanup.message}`));
    throw error;
  }
  progress('stopping the platform');
  await cluster.stop();
  report.durationMs = Date.now() - begin;
  const { databases, initialStock } = session;
  return {
    report,
    databases,
    prefix,
    recheck: async () =>
      checkInvariants({
        databases,
        initialStock,
        deadLetters: await countDeadLetters(admin, prefix),
      }),
    async dispose() {
      await databases.close();
      await dispose();
    },
  };
}
