import { setTimeout as sleep } from 'node:timers/promises';
import type { Topic, TopicEvents } from '@saga/shared/events';
import type { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import type { RunningService } from '@saga/shared/service';
import {
  type ServiceUnderTest,
  startServiceUnderTest,
  type TestDatabase,
} from '@saga/shared/testing';
import { asc, eq } from 'drizzle-orm';
import { loadServiceConfig } from '../config.js';
import { type PaymentRow, payments } from '../db/schema.js';
import type { KnobSettings } from '../gateway-simulator/knobs.js';
import { type GatewayServer, startGatewayServer } from '../gateway-simulator/server.js';
import { createDefinition } from '../service.js';

type Kafka = ReturnType<typeof createKafkaClient>;
/** The topics this service consumes, all keyed by orderId. */
type SagaTopic = 'order.created' | 'stock.reservation-failed' | 'delivery.failed';

const logger = createLogger({ service: 'payment-test', level: 'silent' });

/** Answers quickly and decides nothing at random, unless a test turns a knob. */
const QUIET_KNOBS: KnobSettings = {
  declineRate: 0,
  latencyMs: { min: 0, max: 0 },
  timeoutChargedRate: 0,
  // Longer than the service's gateway timeout below: the service gives up first.
  timeoutHoldMs: 2_000,
  outage: false,
  refuseRefunds: false,
  blackhole: false,
  seed: 1,
};

/** Fast timeouts, backoff and breaker recovery, so failure scenarios settle within a test. */
const TEST_SETTINGS = {
  TOPIC_PARTITIONS: '2',
  LOG_LEVEL: 'silent',
  PAYMENT_GATEWAY_TIMEOUT_MS: '500',
  PAYMENT_RETRY_INITIAL_INTERVAL_MS: '100',
  PAYMENT_RETRY_MAXIMUM_INTERVAL_MS: '800',
  PAYMENT_BREAKER_RESET_TIMEOUT_MS: '500',
  PAYMENT_BREAKER_VOLUME_THRESHOLD: '3',
  PAYMENT_SETTLER_POLL_INTERVAL_MS: '200',
};

export interface GatewayStats {
  charges: number;
  declines: number;
  refunds: number;
  replays: number;
  timeouts: number;
}

export interface GatewayCharge {
  chargeId: string;
  status: 'succeeded' | 'declined';
  refunds: { refundId: string; amountMinor: number; reason: string }[];
}

/**
 * The payment-service against the real stack: `instances` services sharing one fresh database and
 * topic prefix, an in-process gateway simulator, and helpers to feed events and read results.
 */
export interface PaymentHarness {
  /** The platform's view of the same service, e.g. for the conformance suite. */
  underTest: ServiceUnderTest;
  /** The Kafka topic prefix of this harness. */
  prefix: string;
  kafka: Kafka;
  services: RunningService[];
  database: TestDatabase;
  gateway: GatewayServer;
  produce<T extends SagaTopic>(topic: T, value: TopicEvents[T]): Promise<void>;
  configureGateway(knobs: Partial<KnobSettings>): Promise<void>;
  gatewayStats(): Promise<GatewayStats>;
  gatewayCharges(reference: string): Promise<GatewayCharge[]>;
  payments(orderId: string): Promise<PaymentRow[]>;
  /** The decoded outbox events of `topic` for `orderId`, oldest first. */
  emitted<T extends Topic>(topic: T, orderId: string): Promise<TopicEvents[T][]>;
  stop(): Promise<void>;
}

export async function startPaymentHarness(
  options: { instances?: number; env?: Record<string, string> } = {},
): Promise<PaymentHarness> {
  const gateway = await startGatewayServer({
    host: '127.0.0.1',
    port: 0,
    knobs: QUIET_KNOBS,
    logger,
  });
  const underTest = await startServiceUnderTest({
    define: (env) => createDefinition(loadServiceConfig({ env })),
    env: { ...TEST_SETTINGS, PAYMENT_GATEWAY_URL: gateway.url, ...options.env },
    instances: options.instances,
  }).catch(async (error) => {
    await gateway.close();
    throw error;
  });
  const { database } = underTest;

  const adminCall = async <T = unknown>(
    method: string,
    path: string,
    body?: object,
  ): Promise<T> => {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
    return (await response.json()) as T;
  };

  return {
    prefix: underTest.prefix,
    kafka: underTest.kafka,
    services: underTest.services,
    database,
    gateway,
    underTest,
    async produce(topic, value) {
      await underTest.publish(topic, value);
    },
    async configureGateway(knobs) {
      await adminCall('PUT', '/admin/config', knobs);
    },
    gatewayStats: () => adminCall<GatewayStats>('GET', '/admin/stats'),
    async gatewayCharges(reference) {
      const { data } = await adminCall<{ data: GatewayCharge[] }>(
        'GET',
        `/v1/charges?${new URLSearchParams({ reference })}`,
      );
      return data;
    },
    payments: (orderId) =>
      database.db
        .select()
        .from(payments)
        .where(eq(payments.orderId, orderId))
        .orderBy(asc(payments.createdAt)),
    emitted: (topic, orderId) => underTest.outbox(topic, orderId),
    async stop() {
      await underTest.stop();
      await gateway.close();
    },
  };
}

/** Polls `probe` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const result = await probe();
    if (result) return result;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
