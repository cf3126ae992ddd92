import { z } from 'zod';
import { authSettingsSchema } from '../auth/index.js';
import { settings, stackSchema } from '../config/index.js';
import type { FaultPoint } from '../faults/index.js';

const FAULT_POINTS = [
  'consumer.after-commit',
  'relay.after-publish',
] as const satisfies readonly FaultPoint[];

/**
 * Settings every service shares, on top of the stack's connection settings. A service's
 * `config.ts` extends this with its own and is the only place that reads the environment.
 */
export const serviceSettingsSchema = stackSchema.extend({
  ...authSettingsSchema.shape,
  /**
   * The service's own database. Unset (locally): `saga_<service>` on the POSTGRES_URL server,
   * reached as its own role `saga_<service>` without a password (see `ensureServiceDatabase`).
   * Production sets it, with the credentials of a role that owns that database and nothing else.
   */
  DATABASE_URL: settings.url(['postgres', 'postgresql']).optional(),
  /**
   * Connections per instance. Small on purpose: PostgreSQL's default limit is 100 for every
   * instance of every service, the registry and the tools together.
   */
  DATABASE_POOL_SIZE: settings.positiveInt.default(5),
  /** How long work waits for a free database connection before it fails (503 over HTTP), ms. */
  DATABASE_ACQUIRE_TIMEOUT_MS: settings.positiveInt.default(5_000),
  /** PostgreSQL cancels a statement of the service that runs longer (503 over HTTP), ms. */
  DATABASE_STATEMENT_TIMEOUT_MS: settings.positiveInt.default(30_000),
  /** The HTTP server drops a client that has not sent its headers in this long, ms. */
  HTTP_HEADERS_TIMEOUT_MS: settings.positiveInt.default(10_000),
  /** …or its whole request, ms. */
  HTTP_REQUEST_TIMEOUT_MS: settings.positiveInt.default(30_000),
  /** An idle keep-alive connection is closed after this long, ms. */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: settings.positiveInt.default(5_000),
  /** Requests per client IP address in each window, over every route of the service's API. */
  RATE_LIMIT_PER_IP: settings.positiveInt.default(5_000),
  /** Requests per customer (the token's subject) in each window. */
  RATE_LIMIT_PER_CUSTOMER: settings.positiveInt.default(100),
  RATE_LIMIT_WINDOW_SECONDS: settings.positiveInt.default(10),
  /** Host the HTTP server binds to. */
  HTTP_HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: settings.logLevel,
  /** Prepended to Kafka topic names, so environments can share a broker. */
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only')
    .default(''),
  TOPIC_PARTITIONS: settings.positiveInt.default(6),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  /** Chaos testing only: crash points to enable, comma-separated. */
  SAGA_FAULTS: z
    .string()
    .default('')
    .transform((value) => value.split(',').filter(Boolean))
    .pipe(z.array(z.enum(FAULT_POINTS))),
  SAGA_FAULT_PROBABILITY: z.coerce.number().min(0).max(1).default(0.01),
});

export type ServiceSettings = z.infer<typeof serviceSettingsSchema>;
