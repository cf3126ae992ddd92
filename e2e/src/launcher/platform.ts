import { SERVICE_NAMES, type ServiceName } from '../services.js';
import { ensureBuilt, entryOf } from './build.js';
import { ensureServiceDatabase, preferLocalSocket, serviceDatabaseName } from './databases.js';
import { freePorts } from './free-ports.js';
import { LaunchError, type ProcessHandle, type ProcessOptions, startProcess } from './process.js';
import { stackSettings } from './repository.js';

export type ProcessKind = ServiceName | 'gateway';

export interface PlatformOptions {
  /** Kafka topic (and consumer group) prefix of this platform, e.g. `e2e1a2b3c.`. */
  prefix: string;
  /** Instances per service: one database and consumer group, different ports. Default 1. */
  instances?: number;
  /** Gives every service the database `saga_<service>_<suffix>` instead of `saga_<service>`. */
  databaseSuffix?: string;
  /** Environment of every process, on top of the stack env file. */
  env?: Record<string, string>;
  /** Environment of one kind of process, on top of `env` (e.g. SAGA_FAULTS for one service). */
  envOf?: Partial<Record<ProcessKind, Record<string, string>>>;
  /** The services to start. Default every service of the platform. */
  services?: readonly ServiceName[];
  /** Per process. Default 60 s. */
  readyTimeoutMs?: number;
  /** Fixed ports of the gateway and of each service's first instance; free ports otherwise. */
  ports?: Partial<Record<ProcessKind, number>>;
  /** Where process logs go. Default `.stack/logs/e2e`. */
  logDir?: string;
  /** Node's own options for every process (see ProcessOptions.nodeArgs). */
  nodeArgs?: readonly string[];
}

export interface Platform {
  prefix: string;
  /** The payment gateway simulator. */
  gateway: ProcessHandle;
  /** The running instances of each started service. */
  services: Partial<Record<ServiceName, ProcessHandle[]>>;
  /** Each started service's database name. */
  databases: Partial<Record<ServiceName, string>>;
  /** The base URL of one instance of a service. */
  url(service: ServiceName, instance?: number): string;
  /** Every process, gateway first. */
  processes(): ProcessHandle[];
  /** Stops the services gracefully, then the gateway. */
  stop(): Promise<void>;
}

/**
 * Starts the gateway simulator, then every instance of every service on free ports, each from its
 * compiled entry (`entryOf`, built first when stale), and resolves once all are ready. If one
 * fails, the ones already started are stopped and the error is thrown.
 */
/**
 * The harnesses watch every order with one operator's token: that is not one customer's traffic.
 * The limit still runs (and costs what it costs); order-service's flood test checks it bites.
 */
export const HARNESS_SERVICE_ENV = { RATE_LIMIT_PER_CUSTOMER: '1000000' };

/**
 * Node's options for a service, as its package's `start` script runs it. A young generation of
 * 2 × 8 MiB rather than V8's 2 × 16 MiB keeps an idle service within 120 MiB resident, for a few
 * more, equally quick, scavenges under load.
 */
const SERVICE_NODE_ARGS = ['--max-semi-space-size=8'];

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const { prefix, instances = 1, services = SERVICE_NAMES } = options;
  // One build of every package to start, before any database exists.
  await ensureBuilt([...services.map(entryOf), entryOf('gateway')]).catch((error: Error) => {
    throw new LaunchError(error.message);
  });
  const postgresUrl = await preferLocalSocket(stackSettings().POSTGRES_URL);
  const spare = await freePorts(1 + services.length * instances);
  const portOf = (kind: ProcessKind, instance: number) =>
    (instance === 0 ? options.ports?.[kind] : undefined) ?? spare.pop()!;
  const gatewayPort = portOf('gateway', 0);
  const common = {
    readyTimeoutMs: options.readyTimeoutMs,
    logDir: options.logDir,
    nodeArgs: options.nodeArgs,
  };
  const envOf = (kind: ProcessKind, own: Record<string, string>) => ({
    LOG_LEVEL: 'info',
    ...HARNESS_SERVICE_ENV,
    ...options.env,
    ...own,
    ...options.envOf?.[kind],
  });

  const databases: Partial<Record<ServiceName, string>> = {};
  const launches = new Map<ServiceName, ProcessOptions[]>();
  for (const service of services) {
    const database = serviceDatabaseName(service, options.databaseSuffix);
    databases[service] = database;
    const databaseUrl = await ensureServiceDatabase(postgresUrl, database);
    const servicePorts = Array.from({ length: instances }, (_, instance) =>
      portOf(service, instance),
    );
    launches.set(
      service,
      servicePorts.map((port, instance) => ({
        ...common,
        nodeArgs: [...SERVICE_NODE_ARGS, ...(options.nodeArgs ?? [])],
        name: `${service}-${instance + 1}`,
        entry: entryOf(service),
        port,
        env: envOf(service, {
          PORT: String(port),
          HTTP_HOST: '127.0.0.1',
          DATABASE_URL: databaseUrl,
          KAFKA_TOPIC_PREFIX: prefix,
          ...(service === 'payment'
            ? { PAYMENT_GATEWAY_URL: `http://127.0.0.1:${gatewayPort}` }
            : {}),
        }),
      })),
    );
  }

  // Started once the databases exist, so a database failure leaves nothing running.
  const gateway = await startProcess({
    ...common,
    name: 'payment-gateway',
    entry: entryOf('gateway'),
    port: gatewayPort,
    readyPath: '/healthz',
    env: envOf('gateway', { GATEWAY_HOST: '127.0.0.1', GATEWAY_PORT: String(gatewayPort) }),
  });

  const started: Partial<Record<ServiceName, ProcessHandle[]>> = {};
  const all = () => [gateway, ...Object.values(started).flat()];
  const stop = async () => {
    await Promise.all(Object.values(started).flatMap((handles) => handles.map((h) => h.stop())));
    await gateway.stop();
  };

  const attempts = [...launches].map(async ([service, launch]) => {
    const handles: ProcessHandle[] = [];
    started[service] = handles;
    await Promise.all(
      launch.map(async (instanceOptions, instance) => {
        handles[instance] = await startProcess(instanceOptions);
      }),
    );
  });
  const failed = (await Promise.allSettled(attempts)).find(
    (result) => result.status === 'rejected',
  );
  if (failed) {
    await stop();
    throw failed.reason;
  }

  return {
    prefix,
    gateway,
    services: started,
    databases,
    url(service, instance = 0) {
      const handle = started[service]?.[instance];
      if (!handle) throw new Error(`no instance ${instance} of ${service} was started`);
      return handle.url;
    },
    processes: all,
    stop,
  };
}
