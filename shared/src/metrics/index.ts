import type pg from 'pg';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type HandledOutcome = 'ok' | 'duplicate' | 'retried' | 'dead-lettered';

/** The platform's metrics, defined once so every service exposes the same names. */
export function createPlatformMetrics(service: string, registry = new Registry()) {
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    outboxPending: new Gauge({
      name: 'saga_outbox_pending_rows',
      help: 'Outbox rows not yet published',
      registers,
    }),
    outboxOldestAge: new Gauge({
      name: 'saga_outbox_oldest_unpublished_seconds',
      help: 'Age of the oldest unpublished outbox row (0 when none)',
      registers,
    }),
    relayPublished: new Counter({
      name: 'saga_relay_published_total',
      help: 'Outbox rows published and acknowledged by Kafka',
      registers,
    }),
    relayPublishLatency: new Histogram({
      name: 'saga_relay_publish_latency_seconds',
      help: 'Outbox row commit to Kafka acknowledgement',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    relayLeader: new Gauge({
      name: 'saga_relay_leader',
      help: '1 while this instance holds relay leadership for its database',
      registers,
    }),
    eventsHandled: new Counter({
      name: 'saga_events_handled_total',
      help: 'Events handled by topic and outcome (ok, duplicate, retried, dead-lettered)',
      labelNames: ['topic', 'outcome'] as const,
      registers,
    }),
    eventsIgnored: new Counter({
      name: 'saga_events_ignored_total',
      help: 'Stale, duplicate or out-of-order events a handler applied no change for, by reason',
      labelNames: ['topic', 'reason'] as const,
      registers,
    }),
    handlerDuration: new Histogram({
      name: 'saga_handler_duration_seconds',
      help: 'Time to apply an event: its part of a shared transaction, or its own one with retries',
      labelNames: ['topic'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    consumerRestarts: new Counter({
      name: 'saga_consumer_restarts_total',
      help: 'Kafka consumers replaced after a failure their client does not recover from',
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: 'saga_http_request_duration_seconds',
      help: 'HTTP requests by route pattern, method, status class and whether a long poll (Prefer: wait)',
      labelNames: ['route', 'method', 'status_class', 'long_poll'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    rateLimited: new Counter({
      name: 'saga_http_rate_limited_total',
      help: 'Requests answered 429, by rate-limit policy (ip, customer)',
      labelNames: ['policy'] as const,
      registers,
    }),
    rateLimitFailOpen: new Counter({
      name: 'saga_http_rate_limit_fail_open_total',
      help: 'Requests let through unchecked because Redis could not count them',
      registers,
    }),
    consumerLag: new Gauge({
      name: 'saga_consumer_lag',
      help: 'High watermark minus the next offset to consume, per topic-partition',
      labelNames: ['topic', 'partition'] as const,
      registers,
    }),
  };
}

export type PlatformMetrics = ReturnType<typeof createPlatformMetrics>;

/**
 * The service database pool's connections, read at each scrape: in use, idle, callers waiting
 * for one, and the pool's size (`max`), so that use can be compared with it.
 */
export function observePool(registry: Registry, pool: pg.Pool, max: number): void {
  new Gauge({
    name: 'saga_db_pool_connections',
    help: 'Database pool connections by state (in_use, idle, waiting callers, max)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
      this.set({ state: 'max' }, max);
    },
  });
}
