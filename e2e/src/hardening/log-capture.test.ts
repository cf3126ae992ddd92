import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { databaseUrl } from '@saga/shared/config';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import { deleteTopicsWithPrefix, stackCredentials } from '@saga/shared/testing';
import { request } from 'undici';
import {
  dropDatabases,
  entryOf,
  freePorts,
  LaunchError,
  type Platform,
  serviceDatabaseName,
  stackSettings,
  startPlatform,
  startProcess,
} from '../launcher/index.js';
import { defaultLogDir, stackEnv } from '../launcher/repository.js';
import type { OrderStatus } from '../saga/api.js';
import {
  CARDS,
  newIdempotencyKey,
  orderRequest,
  UNDELIVERABLE_POSTAL_CODE,
} from '../saga/orders.js';
import { openSession, type SagaSession } from '../saga/session.js';
import { waitForTerminal } from '../saga/wait.js';
import { SERVICE_NAMES } from '../services.js';
import {
  distinctive,
  jwtSecrets,
  type LogLine,
  leaks,
  readLogs,
  refusedTokens,
  type Secret,
} from './secrets.js';

const PRODUCT = {
  productId: 'lamp',
  name: 'Lamp',
  priceMinor: 2_500,
  currency: 'EUR',
  stock: 50,
};

/** A request as a client may send it, body as raw text: malformed JSON included. */
async function send(
  url: string,
  init: { method?: 'GET' | 'POST' | 'PUT'; headers?: Record<string, string>; body?: string },
): Promise<number> {
  const response = await request(url, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body,
    signal: AbortSignal.timeout(10_000),
  });
  await response.body.dump();
  return response.statusCode;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('tokens, card tokens and credentials never reach the logs', () => {
  const run = randomBytes(4).toString('hex');
  const prefix = `e2e${run}.`;
  const logDir = join(defaultLogDir, `log-capture-${run}`);
  const settings = stackSettings();
  const admin = createKafkaClient({
    clientId: 'log-capture-e2e',
    brokers: settings.KAFKA_BROKERS,
    logger: createLogger({ service: 'log-capture-e2e', level: 'silent' }),
  }).admin();
  const passwords = {
    redis: distinctive('redis-pass-'),
    database: distinctive('db-pass-'),
    registry: distinctive('registry-pass-'),
  };
  /** Card tokens unique to this run (the gateway knows none of them: their orders are refused). */
  const cards = {
    placed: distinctive('tok_ok_'),
    placedDeclined: distinctive('tok_decline_'),
    invalidOrder: distinctive('tok_ok_'),
    malformedBody: distinctive('tok_ok_'),
    wrongMediaType: distinctive('tok_ok_'),
    unauthenticated: distinctive('tok_ok_'),
  };
  const bearerSecrets: Secret[] = [];
  let platform: Platform | undefined;
  let session: SagaSession;
  let lines: LogLine[] = [];
  const placed: { orderId: string; expected: OrderStatus; what: string; status?: OrderStatus }[] =
    [];
  /** The extra processes that are to fail, by name, with how they failed. */
  const failedStarts = new Map<string, string>();

  /** Starts one more delivery-service with `env`; it must fail to start. */
  async function startFailing(name: string, env: Record<string, string>, readyTimeoutMs: number) {
    const [port] = await freePorts(1);
    try {
      const handle = await startProcess({
        name,
        entry: entryOf('delivery'),
        port: port!,
        logDir,
        readyTimeoutMs,
        env: { LOG_LEVEL: 'trace', PORT: String(port), KAFKA_TOPIC_PREFIX: prefix, ...env },
      });
      await handle.stop();
      assert.fail(`${name} started`);
    } catch (error) {
      if (!(error instanceof LaunchError)) throw error;
      failedStarts.set(name, error.message);
    }
  }

  before(async () => {
    await admin.connect();
    platform = await startPlatform({
      prefix,
      databaseSuffix: run,
      logDir,
      env: { LOG_LEVEL: 'trace' },
      // Redis behind a password, on a port where nothing listens: order-service logs the outage
      // and falls back to its database for idempotency.
      envOf: { order: { REDIS_URL: `redis://:${passwords.redis}@127.0.0.1:1` } },
    });
    const credentials = await stackCredentials();
    session = openSession({
      platform,
      postgresUrl: settings.POSTGRES_URL,
      admin,
      credentials,
    });
    await session.seed([PRODUCT]);
    const orderUrl = platform.url('order');
    const inventoryUrl = platform.url('inventory');

    // Orders of every outcome, two with card tokens the gateway does not know.
    const orders = [
      { what: 'approved', customerId: 'ana', token: CARDS.approved, expected: 'COMPLETED' },
      { what: 'declined', customerId: 'bruno', token: CARDS.declined, expected: 'CANCELED' },
      { what: 'unknown card', customerId: 'carla', token: cards.placed, expected: 'CANCELED' },
      {
        what: 'unknown card',
        customerId: 'dora',
        token: cards.placedDeclined,
        expected: 'CANCELED',
      },
      {
        what: 'undeliverable',
        customerId: 'ana',
        token: CARDS.approved,
        postalCode: UNDELIVERABLE_POSTAL_CODE,
        expected: 'CANCELED',
      },
    ] as const;
    for (const order of orders) {
      const orderId = await session.orders.place(
        orderRequest({ ...order, productId: PRODUCT.productId }),
        newIdempotencyKey(),
      );
      placed.push({ orderId, expected: order.expected, what: order.what });
    }
    await waitForTerminal(
      session.orders,
      placed.map((order) => order.orderId),
      30_000,
    );
    for (const order of placed) order.status = (await session.orders.get(order.orderId)).status;
    for (const customer of ['ana', 'bruno', 'carla', 'dora']) {
      bearerSecrets.push(
        ...jwtSecrets(`${customer}'s token`, await credentials.customer(customer)),
      );
    }
    bearerSecrets.push(...jwtSecrets('the operator token', await credentials.admin()));

    // Requests the platform refuses, with the secrets in every place a request can carry them.
    const env = stackEnv();
    const refused = await refusedTokens({
      issuer: env.AUTH_ISSUER ?? '',
      audience: env.AUTH_AUDIENCE ?? '',
      signingKeyFile: env.AUTH_SIGNING_KEY_FILE ?? '',
    });
    for (const [what, token] of Object.entries(refused)) {
      bearerSecrets.push(...jwtSecrets(`the ${what} token`, token));
    }
    const ana = await credentials.customer('ana');
    const anOrder = placed[0]!.orderId;
    const body = (token: string, quantity = 1) =>
      JSON.stringify({
        ...orderRequest({ customerId: 'ana', productId: PRODUCT.productId, token, quantity }),
        customerId: undefined,
      });
    const json = { 'content-type': 'application/json', 'idempotency-key': randomUUID() };
    const expectations: [string, Promise<number>, number][] = [
      ...Object.entries(refused).map(([what, token]): [string, Promise<number>, number] => [
        `GET /orders/:id with the ${what} token`,
        send(`${orderUrl}/orders/${anOrder}`, { headers: bearer(token) }),
        401,
      ]),
      [
        'PUT /products/:id with the expired token',
        send(`${inventoryUrl}/products/${PRODUCT.productId}`, {
          method: 'PUT',
          headers: { ...bearer(refused.expired), 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'x', priceMinor: 1, currency: 'EUR', stock: 1 }),
        }),
        401,
      ],
      [
        'PUT /products/:id as a customer',
        send(`${inventoryUrl}/products/${PRODUCT.productId}`, {
          method: 'PUT',
          headers: { ...bearer(ana), 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'x', priceMinor: 1, currency: 'EUR', stock: 1 }),
        }),
        403,
      ],
      [
        "GET another customer's order",
        send(`${orderUrl}/orders/${placed[1]!.orderId}`, { headers: bearer(ana) }),
        404,
      ],
      [
        'POST /orders with an impossible quantity',
        send(`${orderUrl}/orders`, {
          method: 'POST',
          headers: { ...bearer(ana), ...json },
          body: body(cards.invalidOrder, 0),
        }),
        422,
      ],
      [
        'POST /orders with malformed JSON',
        send(`${orderUrl}/orders`, {
          method: 'POST',
          headers: { ...bearer(ana), ...json },
          body: `${body(cards.malformedBody).slice(0, -1)},`,
        }),
        400,
      ],
      [
        'POST /orders as text/plain',
        send(`${orderUrl}/orders`, {
          method: 'POST',
          headers: {
            ...bearer(ana),
            'content-type': 'text/plain',
            'idempotency-key': randomUUID(),
          },
          body: body(cards.wrongMediaType),
        }),
        415,
      ],
      [
        'POST /orders with the garbage token',
        send(`${orderUrl}/orders`, {
          method: 'POST',
          headers: { ...bearer(refused.garbage), ...json },
          body: body(cards.unauthenticated),
        }),
        401,
      ],
      [
        'an unknown route with a token in its query string',
        send(`${orderUrl}/no-such-route?access_token=${ana}`, { headers: bearer(ana) }),
        404,
      ],
    ];
    for (const [what, answer, status] of expectations) {
      assert.equal(await answer, status, what);
    }

    // Two more delivery-services with credentials in the URL of a dependency, to fail with
    // them in their errors: a database on a closed port (retried until the launcher gives up),
    // and the schema registry (a URL with credentials that requests refuse at once).
    const registry = new URL(settings.SCHEMA_REGISTRY_URL);
    registry.username = 'saga';
    registry.password = passwords.registry;
    await Promise.all([
      startFailing(
        'delivery-database-credentials',
        { DATABASE_URL: `postgres://saga:${passwords.database}@127.0.0.1:1/saga_nowhere` },
        4_000,
      ),
      startFailing(
        'delivery-registry-credentials',
        {
          DATABASE_URL: databaseUrl(settings.POSTGRES_URL, platform.databases.delivery!),
          SCHEMA_REGISTRY_URL: registry.toString(),
        },
        20_000,
      ),
    ]);

    // Stopped, so every line is on disk.
    await platform.stop();
    lines = readLogs(logDir);
  });

  after(async () => {
    await session?.close();
    await platform?.stop();
    // By name: a platform that failed to start leaves the databases it made.
    await dropDatabases(
      settings.POSTGRES_URL,
      SERVICE_NAMES.map((service) => serviceDatabaseName(service, run)),
    );
    await deleteTopicsWithPrefix(admin, prefix);
    await admin.disconnect();
  });

  it('ran the orders to their ends and captured the logs of every process, at trace level', () => {
    for (const { orderId, expected, what, status } of placed) {
      assert.equal(status, expected, `${what} order ${orderId}`);
    }
    const names = new Set(lines.map((line) => line.file));
    for (const handle of platform!.processes()) {
      assert.ok(names.has(`${handle.name}.log`), `no log of ${handle.name}`);
    }
    for (const name of failedStarts.keys()) assert.ok(names.has(`${name}.log`), name);
    const logged = (file: string, pattern: RegExp) =>
      lines.some((line) => line.file === file && pattern.test(line.text));
    for (const handle of platform!.processes()) {
      const own = lines.filter((line) => line.file === `${handle.name}.log`);
      assert.ok(own.length >= 4, `${handle.name} logged ${own.length} lines`);
    }
    // The services log little below info (kafkajs only from warn up); the simulator's charges
    // show the level reached the processes.
    assert.ok(logged('payment-gateway.log', /"level":"debug"/), 'no debug line: LOG_LEVEL?');
    assert.ok(logged('order-1.log', /redis unreachable/), 'order-service logged no Redis outage');
    assert.ok(logged('order-1.log', /idempotency cache read failed/), 'no per-request error');
    assert.ok(
      logged('delivery-database-credentials.log', /ECONNREFUSED/),
      'the database failure was not logged',
    );
    assert.ok(
      logged('delivery-registry-credentials.log', /failed to start/),
      `the registry failure was not logged: ${failedStarts.get('delivery-registry-credentials')}`,
    );
    // The orders with unknown cards were logged about, by id: where a careless line would
    // have put their tokens.
    for (const { orderId, what } of placed.filter((order) => order.what === 'unknown card')) {
      assert.ok(
        lines.some((line) => line.file === 'payment-1.log' && line.text.includes(orderId)),
        `payment-service logged nothing about the ${what} order ${orderId}`,
      );
    }
  });

  it('never logs a bearer token: valid, expired, forged, for another audience or garbage', () => {
    assert.ok(bearerSecrets.length >= 10);
    assert.deepEqual(leaks(lines, bearerSecrets), []);
  });

  it('never logs a card token, of orders paid, refused or never placed', () => {
    // With the simulator's own, which the approved and declined orders paid with.
    const secrets = Object.entries({ ...cards, ...CARDS }).map(([what, value]) => ({
      what: `card (${what})`,
      value,
    }));
    assert.deepEqual(leaks(lines, secrets), []);
  });

  const passwordSecrets = (...which: (keyof typeof passwords)[]) =>
    which.map((what) => ({ what: `the ${what} password`, value: passwords[what] }));

  it('never logs the password of a Redis or database URL, even inside connection errors', () => {
    assert.deepEqual(leaks(lines, passwordSecrets('redis', 'database')), []);
  });

  it('never prints the credentials of a registry URL when a service fails to start', () => {
    assert.deepEqual(leaks(lines, passwordSecrets('registry')), []);
  });
});
