import { setTimeout as sleep } from 'node:timers/promises';
import { serviceDatabaseUrl } from '@saga/shared/db';
import {
  entryOf,
  HARNESS_SERVICE_ENV,
  type Platform,
  type ProcessHandle,
  serviceDatabaseName,
  stackSettings,
  startPlatform,
  startProcess,
} from '../launcher/index.js';
import { SERVICE_NAMES, type ServiceName } from '../services.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

export interface ClusterOptions {
  prefix: string;
  databaseSuffix: string;
  instances: number;
  /** Environment of every service instance (e.g. SAGA_FAULTS), on top of the launcher's. */
  serviceEnv: Record<string, string>;
  gatewaySeed: number;
  logDir?: string;
}

/** An instance that exited without the harness killing it: a crash point, or a bug. */
export interface InstanceExit {
  service: ServiceName;
  name: string;
  /** `SIGKILL`, `code 1`, ... */
  status: string;
  /** Its output, with the stack trace of a crash. */
  logFile: string;
}

/** Hears of an unexpected exit; returns environment overrides for the restarted instance. */
export type ExitListener = (exit: InstanceExit) => Record<string, string> | undefined;

export interface Instance {
  service: ServiceName;
  index: number;
  handle: ProcessHandle;
}

export interface Cluster {
  platform: Platform;
  /** Between the services and PostgreSQL, and between order-service and Redis. */
  postgresProxy: TcpProxy;
  redisProxy: TcpProxy;
  /** The running instances (not those down until a restart). */
  instances(): Instance[];
  /** Resolves once every slot has a running process (restarts in flight done), bounded. */
  whenRunning(timeoutMs?: number): Promise<void>;
  /** SIGKILLs an instance, as a crash would; it stays down until `restart`. */
  kill(instance: Instance): Promise<void>;
  /** Starts a new process for the instance's slot with the same port and environment. */
  restart(
    instance: Pick<Instance, 'service' | 'index'>,
    env?: Record<string, string>,
  ): Promise<void>;
  /** Restarts instances that exit on their own; `onExit` hears of each such exit first. */
  supervise(onExit: ExitListener): void;
  /** Restarts that failed (the slot stays down): each is a finding of the run. */
  failedRestarts: string[];
  stop(): Promise<void>;
}

/**
 * SAGA_DEADLINE of the chaos platform, seconds: short, so that a gateway black hole outlasting it
 * cancels the sagas it caught within the run; longer than any other fault alone holds a saga (a
 * Kafka restart, a frozen consumer, a gateway outage and its backoff), so that a scenario of one of
 * them still tests its own recovery. Faults at once may hold sagas past it: an order ending
 * CANCELED TIMED_OUT then is a correct outcome.
 */
export const CHAOS_SAGA_DEADLINE_SECONDS = 20;

/** Eight instances starting at once on two cores, or one waiting out a Kafka restart, are slow. */
const READY_TIMEOUT_MS = 120_000;

const hostPort = (url: string) => {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port) };
};

/**
 * The platform under test: the gateway and `instances` instances of every service, their
 * PostgreSQL and Redis connections routed through proxies the harness can cut. The launcher has
 * no restart, so this keeps each instance's launch settings and starts a new process in its slot.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { POSTGRES_URL, REDIS_URL } = stackSettings();
  const postgresProxy = await startTcpProxy(hostPort(POSTGRES_URL));
  const redisProxy = await startTcpProxy(hostPort(REDIS_URL));
  const proxied = (url: string, proxy: TcpProxy) => {
    const copy = new URL(url);
    copy.hostname = '127.0.0.1';
    copy.port = String(proxy.port);
    return copy.toString();
  };
  const envOf = (service: ServiceName): Record<string, string> => ({
    ...options.serviceEnv,
    DATABASE_URL: serviceDatabaseUrl(
      proxied(POSTGRES_URL, postgresProxy),
      serviceDatabaseName(service, options.databaseSuffix),
    ),
    ...(service === 'order'
      ? {
          REDIS_URL: proxied(REDIS_URL, redisProxy),
          SAGA_DEADLINE: String(CHAOS_SAGA_DEADLINE_SECONDS),
        }
      : {}),
  });
  const closeProxies = () => Promise.all([postgresProxy.close(), redisProxy.close()]);
  const platform = await startPlatform({
    prefix: options.prefix,
    instances: options.instances,
    databaseSuffix: options.databaseSuffix,
    logDir: options.logDir,
    readyTimeoutMs: READY_TIMEOUT_MS,
    env: { LOG_LEVEL: 'warn' },
    envOf: {
      ...Object.fromEntries(SERVICE_NAMES.map((service) => [service, envOf(service)])),
      gateway: { GATEWAY_SEED: String(options.gatewaySeed) },
    },
  }).catch(async (error: unknown) => {
    // Listening proxies would keep the harness's process alive after the failure.
    await closeProxies();
    throw error;
  });

  const expectedExits = new Set<ProcessHandle>();
  const exited = new Set<ProcessHandle>();
  const restarting = new Map<string, Promise<unknown>>();
  let stopping = false;
  let onExit: ExitListener | undefined;

  const slots = () => SERVICE_NAMES.flatMap((service) => platform.services[service] ?? []);
  const watch = (service: ServiceName, index: number, handle: ProcessHandle) => {
    void handle.exited.then(async (status) => {
      exited.add(handle);
      if (stopping) return;
      if (expectedExits.delete(handle) || !onExit) return;
      const env = onExit({
        service,
        name: handle.name,
        status: status.signal ?? `code ${status.code}`,
        logFile: handle.logFile,
      });
      await cluster.restart({ service, index }, env).catch((error: Error) => {
        cluster.failedRestarts.push(`${handle.name}: ${error.message.split('\n')[0]}`);
      });
    });
  };

  const cluster: Cluster = {
    platform,
    postgresProxy,
    redisProxy,
    instances: () =>
      SERVICE_NAMES.flatMap((service) =>
        (platform.services[service] ?? [])
          .map((handle, index) => ({ service, index, handle }))
          .filter(({ handle }) => !exited.has(handle)),
      ),
    async whenRunning(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (slots().some((handle) => exited.has(handle)) && Date.now() < deadline) {
        await sleep(200);
      }
    },
    async kill({ handle }) {
      expectedExits.add(handle);
      await handle.kill();
    },
    async restart({ service, index }, env = {}) {
      const slot = `${service}-${index + 1}`;
      const old = platform.services[service]![index]!;
      // Another fault may have restarted the slot already: never two processes on one port. The
      // launcher's per-instance environment is rebuilt: same port, database and topics.
      if (stopping || restarting.has(slot) || !exited.has(old)) return;
      const started = startProcess({
        name: slot,
        entry: entryOf(service),
        port: old.port,
        logDir: options.logDir,
        readyTimeoutMs: READY_TIMEOUT_MS,
        env: {
          LOG_LEVEL: 'warn',
          ...HARNESS_SERVICE_ENV,
          PORT: String(old.port),
          HTTP_HOST: '127.0.0.1',
          KAFKA_TOPIC_PREFIX: options.prefix,
          ...(service === 'payment' ? { PAYMENT_GATEWAY_URL: platform.gateway.url } : {}),
          ...envOf(service),
          ...env,
        },
      });
      restarting.set(slot, started);
      try {
        const handle = await started;
        platform.services[service]![index] = handle;
        watch(service, index, handle);
      } finally {
        restarting.delete(slot);
      }
    },
    supervise(listener) {
      onExit = listener;
    },
    failedRestarts: [],
    async stop() {
      stopping = true;
      // A restart still starting would outlive the platform and keep its consumer groups busy.
      await Promise.allSettled(restarting.values());
      // A SIGSTOPped instance would wait out the whole grace period.
      for (const handle of slots()) {
        try {
          process.kill(handle.pid, 'SIGCONT');
        } catch {
          // already gone
        }
      }
      await platform.stop();
      await closeProxies();
    },
  };
  for (const { service, index, handle } of cluster.instances()) watch(service, index, handle);
  return cluster;
}
