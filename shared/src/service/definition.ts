import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { EventCodec } from '../codec/index.js';
import type { Handlers } from '../consumer/index.js';
import type { DatabaseHandle } from '../db/index.js';
import type { Topic } from '../events/index.js';
import type { Logger } from '../logger/index.js';
import type { PlatformMetrics } from '../metrics/index.js';
import type { Transact } from '../outbox/index.js';
import type { OpenApiDocument } from './openapi.js';
import type { Check } from './readiness.js';
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
   * Runs `work` in a unit of work, which it may share with others that arrive together (see
   * sharedUnitsOfWork). The way to change state outside an event handler (HTTP, timers). The
   * events continue the options' `trace`: a request's (`requestTrace`) or a worker's span.
   */
  transact: Transact;
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
