import { randomBytes, randomUUID } from 'node:crypto';
import type { Topic, TopicEvents } from '@saga/shared/events';
import type { RunningService } from '@saga/shared/service';
import {
  responseChecker,
  sampleEvent,
  stackCredentials,
  startServiceUnderTest,
  type TestDatabase,
} from '@saga/shared/testing';
import { orderApiDocument } from '../api/openapi.js';
import { loadServiceConfig } from '../config.js';
import { createDefinition } from '../service.js';

/** A product to seed the replica with, through a real product.upserted event. */
export interface SeedProduct {
  productId: string;
  name?: string;
  priceMinor: number;
  currency?: string;
  occurredAt?: number;
}

/**
 * order-service started in-process against the real stack, with its own database, topic prefix
 * and consumer group, and the tools its component tests need.
 */
export interface OrderServiceUnderTest {
  service: RunningService;
  url: string;
  /** A pool on the service's database, for assertions. */
  db: TestDatabase;
  send<T extends Topic>(topic: T, value: TopicEvents[T]): Promise<void>;
  /** Sends the event and waits until the service has applied it (its inbox row committed). */
  apply<T extends Topic>(topic: T, value: TopicEvents[T]): Promise<void>;
  /** Produces product.upserted for each product and waits until the replica applied them all. */
  seedProducts(products: readonly SeedProduct[]): Promise<void>;
  /** The customer `postOrder` places orders for, unless told another. */
  customerId: string;
  /** POST /orders with a token of `customerId`. */
  postOrder(body: unknown, idempotencyKey?: string, customerId?: string): Promise<Response>;
  /**
   * A request with a token of `as.customer`, or an operator's (`as.admin`), or none. Throws when
   * the answer does not conform to the service's OpenAPI document.
   */
  request(path: string, init?: RequestInit, as?: Caller): Promise<Response>;
  /** Decoded outbox rows of `topic` for `key`, oldest first. */
  outbox<T extends Topic>(topic: T, key: string): Promise<TopicEvents[T][]>;
  stop(): Promise<void>;
}

/** Who a test request speaks for: nobody (no token), a customer, or an operator. */
export type Caller = { customer: string } | { admin: true } | Record<string, never>;

export async function startOrderService(
  env: Record<string, string> = {},
): Promise<OrderServiceUnderTest> {
  const underTest = await startServiceUnderTest({
    define: (settings) => createDefinition(loadServiceConfig({ env: settings })),
    env,
  });
  const { service, database, publish } = underTest;
  const credentials = await stackCredentials();
  // Every answer a test receives is checked against the contract the service serves.
  const conforms = responseChecker(orderApiDocument);
  const request = async (path: string, init: RequestInit = {}, as: Caller = { admin: true }) => {
    const token =
      'customer' in as
        ? await credentials.customer(as.customer)
        : 'admin' in as
          ? await credentials.admin()
          : undefined;
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    const response = await fetch(`${service.url}${path}`, { ...init, headers });
    const nonconforming = conforms({
      method: init.method ?? 'GET',
      // As requested: fetch resolves dot segments (`/orders/.` is `/orders/`).
      path: new URL(response.url).pathname,
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: await response.clone().text(),
    });
    if (nonconforming.length > 0) {
      throw new Error(`The answer breaks the OpenAPI document:\n${nonconforming.join('\n')}`);
    }
    return response;
  };
  const customerId = `customer-${randomBytes(3).toString('hex')}`;

  return {
    service,
    url: service.url,
    db: database,
    async send(topic, value) {
      await publish(topic, value);
    },
    apply: underTest.apply,
    async seedProducts(products) {
      const events = products.map((product) =>
        sampleEvent('product.upserted', {
          name: `Product ${product.productId}`,
          currency: 'EUR',
          occurredAt: Date.now(),
          ...product,
        }),
      );
      for (const event of events) await publish('product.upserted', event);
      await Promise.all(events.map((event) => underTest.processed(event.eventId)));
    },
    customerId,
    request,
    postOrder(body, idempotencyKey = randomUUID(), customer = customerId) {
      return request(
        '/orders',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify(body),
        },
        { customer },
      );
    },
    outbox: (topic, key) => underTest.outbox(topic, key),
    stop: underTest.stop,
  };
}

/** A valid POST /orders body for the given lines. */
export function orderBody(
  items: readonly Record<string, unknown>[],
  overrides: Record<string, unknown> = {},
) {
  return {
    items,
    shippingAddress: {
      line1: '1 Main Street',
      city: 'Lisbon',
      postalCode: '1000-001',
      country: 'PT',
    },
    paymentMethod: { type: 'card', token: 'tok_ok' },
    ...overrides,
  };
}
