import type { Server } from 'node:http';
import pRetry from 'p-retry';
import { createVerifier, verifierSettings } from '../auth/index.js';
import { createAvroCodec } from '../codec/index.js';
import { createConsumerRunner } from '../consumer/index.js';
import { applyMigrations, connectDatabase, ensureServiceDatabase } from '../db/index.js';
import { crashAt, noFaults } from '../faults/index.js';
import { createKafkaClient, createPublisher } from '../kafka/index.js';
import { createLogger, type Logger } from '../logger/index.js';
import { createPlatformMetrics, observePool } from '../metrics/index.js';
import { sharedUnitsOfWork, unitsOfWork } from '../outbox/index.js';
import { createRelay } from '../relay/index.js';
import { initTelemetry } from '../telemetry/index.js';
import { contractTopics, provisionTopics } from '../topics/index.js';
import { apiGuards } from './api-guards.js';
import { assertHandlesWhatItConsumes } from './consumes.js';
import type { RunningService, ServiceContext, ServiceDefinition } from './definition.js';
import { createHttpApp, listen } from './http.js';
import { databaseCheck, kafkaCheck, registryCheck } from './readiness.js';
import { connectRedis } from './redis.js';

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
    transact: sharedUnitsOfWork(openUnitOfWork),
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
