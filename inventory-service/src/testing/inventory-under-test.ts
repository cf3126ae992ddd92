import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { authSettingsSchema, type Credentials } from '@saga/shared/auth';
import { loadConfig } from '@saga/shared/config';
import type { Topic, TopicEvents } from '@saga/shared/events';
import type { RunningService } from '@saga/shared/service';
import {
  responseChecker,
  type ServiceUnderTest,
  stackCredentials,
  stackSettings,
  startServiceUnderTest,
  type TestDatabase,
  until,
} from '@saga/shared/testing';
import { inventoryApiDocument } from '../api/openapi.js';
import { loadServiceConfig } from '../config.js';
import { createDefinition } from '../service.js';

export const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** The inventory service running in-process on a fresh database and its own topic prefix. */
export interface InventoryUnderTest {
  /** The platform's view of the same service, e.g. for the conformance suite. */
  underTest: ServiceUnderTest;
  service: RunningService;
  /** The service's database, for arranging and asserting state. */
  database: TestDatabase;
  url: string;
  /** Bearer tokens the service accepts: a customer's, or an operator's with the admin scope. */
  credentials: Credentials;
  /** Encodes `value` with the registry and produces it, keyed like the service's producers do. */
  produce<T extends Topic>(topic: T, value: TopicEvents[T]): Promise<void>;
  /** The values the service wrote to its outbox for `topic`, in outbox order. */
  emitted<T extends Topic>(topic: T): Promise<TopicEvents[T][]>;
  /** Puts a product on sale through the API, as an operator. */
  putProduct(productId: string, stock: number): Promise<void>;
  stockOf(productId: string): Promise<{ available: number; reserved: number } | undefined>;
  reservationOf(
    orderId: string,
  ): Promise<{ id: string; status: string; reason: string | null } | undefined>;
  /** Resolves once the service's consumer has committed the event with this id. */
  processed(eventId: string): Promise<void>;
  stop(): Promise<void>;
}

const conforms = responseChecker(inventoryApiDocument);

/** Fails the test when the answer breaks the OpenAPI document the service serves. */
export async function conforming(method: string, response: Response) {
  const nonconforming = conforms({
    method,
    // As requested: fetch resolves dot segments (`/products/.` is `/products/`).
    path: new URL(response.url).pathname,
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.clone().text(),
  });
  assert.deepEqual(nonconforming, [], 'the answer conforms to the OpenAPI document');
  return response;
}

export async function startInventory(
  env: Record<string, string> = {},
): Promise<InventoryUnderTest> {
  const stack = stackSettings();
  // The stack's token settings, so the service accepts what `stackCredentials` signs.
  const auth = loadConfig(authSettingsSchema);
  const credentials = await stackCredentials();
  const underTest = await startServiceUnderTest({
    define: (settings) =>
      createDefinition(
        loadServiceConfig({
          envFile: null,
          env: {
            KAFKA_BROKERS: stack.KAFKA_BROKERS.join(','),
            SCHEMA_REGISTRY_URL: stack.SCHEMA_REGISTRY_URL,
            POSTGRES_URL: stack.POSTGRES_URL,
            REDIS_URL: stack.REDIS_URL,
            AUTH_JWKS_FILE: auth.AUTH_JWKS_FILE,
            AUTH_JWKS_URL: auth.AUTH_JWKS_URL,
            AUTH_ISSUER: auth.AUTH_ISSUER,
            AUTH_AUDIENCE: auth.AUTH_AUDIENCE,
            DATABASE_URL: settings.DATABASE_URL,
            KAFKA_TOPIC_PREFIX: settings.KAFKA_TOPIC_PREFIX,
            TOPIC_PARTITIONS: settings.TOPIC_PARTITIONS,
            LOG_LEVEL: settings.LOG_LEVEL,
            ...env,
          },
        }),
      ),
  });
  const { service, database } = underTest;

  return {
    underTest,
    service,
    database,
    url: service.url,
    credentials,
    async produce(topic, value) {
      await underTest.publish(topic, value);
    },
    emitted: (topic) => underTest.outbox(topic),
    async putProduct(productId, stock) {
      const response = await fetch(`${service.url}/products/${productId}`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await credentials.admin()}`,
        },
        body: JSON.stringify({
          name: `Product ${productId}`,
          priceMinor: 1250,
          currency: 'EUR',
          stock,
        }),
      });
      if (response.status !== 200) throw new Error(`PUT product answered ${response.status}`);
    },
    async stockOf(productId) {
      const { rows } = await database.pool.query<{ available: number; reserved: number }>(
        `SELECT available_quantity AS available, reserved_quantity AS reserved
           FROM inventory WHERE product_id = $1`,
        [productId],
      );
      return rows[0];
    },
    async reservationOf(orderId) {
      const { rows } = await database.pool.query<{
        id: string;
        status: string;
        reason: string | null;
      }>('SELECT id, status, reason FROM stock_reservations WHERE order_id = $1', [orderId]);
      return rows[0];
    },
    processed: (eventId) => underTest.processed(eventId),
    stop: underTest.stop,
  };
}

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. */
export function eventually(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs?: number,
): Promise<void> {
  return until(condition, what, timeoutMs);
}
