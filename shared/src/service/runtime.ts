import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import pRetry from 'p-retry';
import { createVerifier, verifierSettings } from '../auth/index.js';
import { createAvroCodec, type EventCodec } from '../codec/index.js';
import { createConsumerRunner, type Handlers } from '../consumer/index.js';
import {
  applyMigrations,
  connectDatabase,
  type DatabaseHandle,
  ensureServiceDatabase,
} from '../db/index.js';
import type { Topic } from '../events/index.js';
import { crashAt, noFaults } from '../faults/index.js';
import { createKafkaClient, createPublisher } from '../kafka/index.js';
import { createLogger, type Logger } from '../logger/index.js';
import { createPlatformMetrics, observePool, type PlatformMetrics } from '../metrics/index.js';
import { type UnitOfWork, unitsOfWork } from '../outbox/index.js';
import { createRelay } from '../relay/index.js';
import { initTelemetry, type TraceHeaders } from '../telemetry/index.js';
import { contractTopics, provisionTopics } from '../topics/index.js';
import { apiGuards } from './api-guards.js';
import { assertHandlesWhatItConsumes } from './consumes.js';
import { createHttpApp, listen } from './http.js';
import type { OpenApiDocument } from './openapi.js';
import { type Check, databaseCheck, kafkaCheck, registryCheck } from './readiness.js';
import { connectRedis } from './redis.js';
import type { ServiceSettings } from './settings.js';

export interface ServiceContext {
  name: string;
  settings: ServiceSettings;
  logger: Logger;
  metrics: PlatformMetrics;
  database: DatabaseHandle;
  codec: EventCodec;
  kafka: Kafka;
  /** Shared by the rate limits and the service's own caches; may be down (see connectRedis). */
  redis: Redis;
  /**
   * Runs `work` in a unit of work. The way to change state outside an event handler (HTTP,
   * timers). The events continue `trace`: a request's (`requestTrace`) or a worker's span.
   */
  transact<T>(work: (unit: UnitOfWork) => Promise<T>, trace?: TraceHeaders): Promise<T>;
  /**
   * Aborted when the service starts to stop, before HTTP closes: a request that is waiting for
   * something (a long poll) answers now, so the stop does not wait for it.
   */
  stopping: AbortSignal;
}

/** A long-running loop of the service (e.g. a recovery loop), stopped with it. */
export type Worker = (signal: AbortSignal) => Promise<void>;

/** What one started instance runs, built once from its context. */
export interface ServiceParts {
  /** The consumer's handlers, by the topic of the event each applies. */
  handlers?: Handlers;
  /** Mounts the API that the definition's `openapi` describes. */
  routes?: (app: Express) => void;
  workers?: Worker[];
  readiness?: Record<string, Check>;
}

/** What the platform knows of a service without starting it: its name and what it consumes. */
export interface ServiceManifest {
  /** Short name: database `saga_<name>`, group `<name>-service`, topics `<name>.retry|dlq`. */
  name: string;
  /** The topics of the events it consumes: its handlers are exactly these (checked at start). */
  consumes: readonly Topic[];
}

export interface ServiceDefinition extends ServiceManifest {
  settings: ServiceSettings;
  port: number;
  /**
   * The service's own committed drizzle migrations, if it has tables of its own; the platform's
   * tables are applied before them.
   */
  migrationsFolder?: string;
  /** The contract of the API (a service with routes has one), served at /openapi.json. */
  openapi?: OpenApiDocument;
  /**
   * Builds the instance's handlers, routes and workers from its context: called once per started
   * instance, so what they share is made once, in one place.
   */
  build(context: ServiceContext): ServiceParts;
}

export interface RunningService {
  context: ServiceContext;
  url: string;
  /** Rejects if the relay, the consumer or a worker dies: the process should exit and restart. */
  crashed: Promise<never>;
  /** Graceful: stop HTTP, finish in-flight events and commit offsets, stop the relay, close pools. */
  stop(): Promise<void>;
}

/** Waits out infrastructure that is still starting: a service never dies of a slow dependency. */
function patiently<T>(logger: Logger, what: string, work: () => Promise<T>): Promise<T> {
  return pRetry(work, {
    retries: 30,
    minTimeout: 200,
    maxTimeout: 5_000,
    onFailedAttempt: ({ error, attemptNumber }) =>
      logger.warn({ err: error, attempt: attemptNumber }, `${what} failed; retrying`),
  });
}

export async function startService(definition: ServiceDefinition): Promise<RunningService> {
  const { name, settings } = definition;
  const service = `${name}-service`;
  const logger = createLogger({ service, level: settings.LOG_LEVEL });
  // A service with an API checks its token settings before it connects to anything.
  const verifier = definition.openapi && createVerifier(verifierSettings(settings));
  const telemetry = initTelemetry({
    service,
    otlpEndpoint: settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  });
  const metrics = createPlatformMetrics(service);
  const faults = settings.SAGA_FAULTS.length
    ? crashAt(settings.SAGA_FAULTS, settings.SAGA_FAULT_PROBABILITY)
    : noFaults;

  const url =
    settings.DATABASE_URL ??
    (await patiently(logger, 'creating the database', () =>
      ensureServiceDatabase(settings.POSTGRES_URL, `saga_${name}`),
    ));
  const database = connectDatabase({
    url,
    applicationName: service,
    maxConnections: settings.DATABASE_POOL_SIZE,
    acquireTimeoutMs: settings.DATABASE_ACQUIRE_TIMEOUT_MS,
    statementTimeoutMs: settings.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  observePool(metrics.registry, database.pool, settings.DATABASE_POOL_SIZE);
  await patiently(logger, 'migrating', () =>
    applyMigrations(database, definition.migrationsFolder),
  );

  const codec = await createAvroCodec({
    registryUrl: settings.SCHEMA_REGISTRY_URL,
    topicPrefix: settings.KAFKA_TOPIC_PREFIX,
  });
  const kafka = createKafkaClient({ clientId: service, brokers: settings.KAFKA_BROKERS, logger });
  const admin = kafka.admin();
  await patiently(logger, 'provisioning topics', async () => {
    await admin.connect();
    // Every event topic, but only its own retry and DLQ topics: each service creates its own.
    await provisionTopics(admin, contractTopics([name], settings.KAFKA_TOPIC_PREFIX), {
      partitions: settings.TOPIC_PARTITIONS,
    });
  });
  await admin.disconnect();

  const publisher = await createPublisher(kafka);
  const relay = createRelay({
    pool: database.pool,
    databaseUrl: url,
    publisher,
    logger,
    metrics,
    faults,
    topicPrefix: settings.KAFKA_TOPIC_PREFIX,
  });

  // Not part of readiness: the service works, less well, without Redis.
  const redis = connectRedis(settings.REDIS_URL, logger);
  const stopStarted = new AbortController();
  const openUnitOfWork = unitsOfWork(database.pool, codec, () => relay.wake());
  const context: ServiceContext = {
    name,
    settings,
    logger,
    metrics,
    database,
    codec,
    kafka,
    redis,
    transact: (work, trace) => openUnitOfWork(work, { trace }),
    stopping: stopStarted.signal,
  };

  const parts = definition.build(context);
  if (parts.routes && !definition.openapi) {
    throw new Error(`${service} mounts routes without an OpenAPI document describing them`);
  }
  assertHandlesWhatItConsumes(service, definition.consumes, parts.handlers);

  const loops = new AbortController();
  const running: Promise<void>[] = [relay.run(loops.signal)];
  const consumers = new AbortController();
  if (parts.handlers && definition.consumes.length > 0) {
    const runner = createConsumerRunner({
      service: name,
      kafka,
      database,
      codec,
      handlers: parts.handlers,
      logger,
      metrics,
      faults,
      topicPrefix: settings.KAFKA_TOPIC_PREFIX,
      openUnitOfWork,
    });
    running.push(runner.run(consumers.signal));
  }
  for (const worker of parts.workers ?? []) running.push(worker(loops.signal));
  let crash: (error: unknown) => void = () => {};
  const crashed = new Promise<never>((_, reject) => {
    crash = reject;
  });
  crashed.catch(() => {}); // observed by runService; a library user may ignore it
  for (const loop of running) {
    loop.catch((error) => {
      logger.fatal({ err: error }, 'a background loop died');
      crash(error);
    });
  }

  const app = createHttpApp({
    host: settings.HTTP_HOST,
    port: definition.port,
    logger,
    metrics,
    readiness: {
      database: databaseCheck(database.pool),
      kafka: kafkaCheck(kafka),
      registry: registryCheck(settings.SCHEMA_REGISTRY_URL),
      ...parts.readiness,
    },
    routes: parts.routes,
    openapi: definition.openapi,
    guards: verifier && apiGuards({ service: name, settings, verifier, redis, metrics }),
  });
  const server: Server = await listen(app, settings.HTTP_HOST, definition.port, {
    headersTimeoutMs: settings.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: settings.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: settings.HTTP_KEEP_ALIVE_TIMEOUT_MS,
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : definition.port;
  logger.info({ port }, `${service} started`);

  let stopping: Promise<void> | undefined;
  return {
    context,
    url: `http://${settings.HTTP_HOST}:${port}`,
    crashed,
    stop() {
      stopping ??= (async () => {
        logger.info('stopping');
        stopStarted.abort(); // waiting requests answer, or close() would wait for them
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections(); // keep-alive sockets would hold close() open
        await closed;
        consumers.abort(); // consumers first: their commits may still wake the relay
        loops.abort();
        await Promise.allSettled(running);
        await publisher.close().catch(() => {});
        await database.close();
        redis.disconnect();
        await telemetry.shutdown();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

/**
 * A service's whole `main`: start, stop gracefully on SIGTERM/SIGINT (a second signal, or a stop
 * taking over `graceMs`, exits at once), exit 1 with the reason when start fails.
 */
export async function runService(definition: ServiceDefinition, graceMs = 20_000): Promise<void> {
  let service: RunningService;
  try {
    service = await startService(definition);
  } catch (error) {
    // Through the logger, which masks credentials in the URLs an error may quote.
    createLogger({
      service: `${definition.name}-service`,
      level: definition.settings.LOG_LEVEL,
    }).fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
  let signals = 0;
  const shutdown = () => {
    if (++signals > 1) process.exit(1);
    setTimeout(() => process.exit(1), graceMs).unref();
    service.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  service.crashed.catch(() => process.exit(1));
}
