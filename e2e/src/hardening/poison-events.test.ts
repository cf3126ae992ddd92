import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAvroCodec, type EventCodec } from '@saga/shared/codec';
import { TOPICS, type Topic } from '@saga/shared/events';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import { deleteTopicsWithPrefix, stackCredentials } from '@saga/shared/testing';
import { dlqTopic, retryTopic } from '@saga/shared/topics';
import type { Message } from 'kafkajs';
import {
  dropDatabases,
  type Platform,
  serviceDatabaseName,
  stackSettings,
  startPlatform,
} from '../launcher/index.js';
import { defaultLogDir } from '../launcher/repository.js';
import type { OrderStatus, ProductSeed } from '../saga/api.js';
import {
  CARDS,
  newIdempotencyKey,
  orderRequest,
  UNDELIVERABLE_POSTAL_CODE,
} from '../saga/orders.js';
import { openSession, type SagaSession } from '../saga/session.js';
import { mapConcurrently, waitForTerminal } from '../saga/wait.js';
import { SERVICE_NAMES, type ServiceName } from '../services.js';
import {
  consumedTopics,
  consumersByTopic,
  type Subscriptions,
  subscriptionProblems,
} from './consumed-topics.js';
import { type DeadLetterRecord, originOf, readDeadLetters } from './dead-letters.js';
import {
  impossibleEvent,
  keyOnPartition,
  partitionOf,
  poisonBytes,
  samplesOf,
  schemaIdOf,
} from './poison.js';

/** One message this test wrote, where it landed and what must become of it. */
interface Poisoned {
  topic: string;
  partition: number;
  offset: string;
  kind: string;
  value: Buffer | null;
  /** The consumers that must dead-letter it: every consumer of the topic, but see below. */
  deadLetteredBy: ServiceName[];
  /** The consumers that act on it, so what they emit about `claims` must be dead-lettered. */
  actedOnBy: ServiceName[];
  /** The order (or product) an impossible event claims, its Kafka key. */
  claims?: string;
}

/** Random values per partition of every consumed topic. */
const RANDOM_PER_PARTITION = 3;

/**
 * Consumers that cannot tell that the event is about an order nobody placed, by design: no
 * service reads another's tables, so only order-service knows which orders exist. They act on it,
 * and order-service dead-letters what they emit about that order.
 */
const ACTS_ON: Partial<Record<ServiceName, readonly Topic[]>> = {
  // Starts a delivery of the "reserved" (empty) order: delivery.started.
  delivery: ['stock.reserved'],
};

/**
 * Consumers that cannot tell either, and need not: to them, the cancellation of an order they
 * never saw is one that overtook the order's own events. They remember it, so that those events
 * do nothing when they come, and emit nothing.
 */
const ABSORBS: Partial<Record<ServiceName, readonly Topic[]>> = {
  payment: ['order.canceled'],
  inventory: ['order.canceled'],
  delivery: ['order.canceled'],
};

const listed = (table: typeof ACTS_ON, service: ServiceName, topic: Topic) =>
  table[service]?.includes(topic) ?? false;

const PRODUCT_STOCK = 1_000;

describe('poison events on every topic a service consumes', () => {
  const run = randomBytes(4).toString('hex');
  const prefix = `e2e${run}.`;
  // Set POISON_SEED to replay the same random poison.
  const seed = Number(process.env.POISON_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const settings = stackSettings();
  const kafka = createKafkaClient({
    clientId: 'poison-e2e',
    brokers: settings.KAFKA_BROKERS,
    logger: createLogger({ service: 'poison-e2e', level: 'silent' }),
  });
  const admin = kafka.admin();
  const producer = kafka.producer();
  let platform: Platform | undefined;
  let session: SagaSession;
  let codec: EventCodec;
  let subscriptions: Subscriptions;
  const poisoned: Poisoned[] = [];
  /** Real orders placed after the poison, by the partition their saga's events use. */
  const orders: { orderId: string; partition: number; expected: OrderStatus; spec: string }[] = [];
  let letters: DeadLetterRecord[] = [];
  const at = `(POISON_SEED=${seed})`;

  /** Writes `messages` to one partition; returns where each landed. */
  async function publish(topic: string, partition: number, messages: Message[]) {
    const [result] = await producer.send({
      topic: prefix + topic,
      acks: -1,
      messages: messages.map((message) => ({ ...message, partition })),
    });
    const base = BigInt(result!.baseOffset!);
    return messages.map((_, index) => String(base + BigInt(index)));
  }

  /** Random bytes and one impossible event on every partition of every consumed topic. */
  async function poisonEverything(partitions: Map<string, number>) {
    const byTopic = consumersByTopic(subscriptions);
    const eventTopics = [...byTopic.keys()].filter((topic) =>
      (TOPICS as readonly string[]).includes(topic),
    ) as Topic[];
    const registeredSchemaIds = await Promise.all(TOPICS.map((topic) => schemaIdOf(codec, topic)));
    const random = poisonBytes({ registeredSchemaIds, eventTypes: eventTopics });
    let round = 0;
    for (const [topic, consumers] of byTopic) {
      const count = partitions.get(topic)!;
      for (let partition = 0; partition < count; partition++) {
        const noise = samplesOf(random, seed + round++, RANDOM_PER_PARTITION);
        const messages: Message[] = noise.map(({ key, value, eventType }) => ({
          key,
          value,
          headers: eventType === undefined ? {} : { 'event-type': eventType },
        }));
        const kinds = noise.map(({ kind }) => kind);
        // The impossible event: on an event topic its own; on `<service>.retry`, one of the
        // service's topics, routed there by its `event-type` header as a DLQ replay would be.
        const retrying = SERVICE_NAMES.find((service) => retryTopic(service) === topic);
        const eventTopic = retrying
          ? pickRetried(retrying, subscriptions[retrying])
          : (topic as Topic);
        const claims = keyOnPartition(partition, count, randomUUID);
        messages.push({
          key: claims,
          value: await codec.encode(eventTopic, impossibleEvent(eventTopic, claims)),
          headers: { 'event-type': eventTopic },
        });
        const offsets = await publish(topic, partition, messages);
        messages.forEach((message, index) => {
          const impossible = index === noise.length;
          const by = (table: typeof ACTS_ON) =>
            impossible ? consumers.filter((consumer) => listed(table, consumer, eventTopic)) : [];
          const actedOnBy = by(ACTS_ON);
          const absorbedBy = by(ABSORBS);
          poisoned.push({
            topic,
            partition,
            offset: offsets[index]!,
            kind: impossible ? `impossible ${eventTopic}` : kinds[index]!,
            value: message.value as Buffer | null,
            deadLetteredBy: consumers.filter(
              (c) => !actedOnBy.includes(c) && !absorbedBy.includes(c),
            ),
            actedOnBy,
            claims: impossible ? claims : undefined,
          });
        });
      }
    }
  }

  /** On a retry topic: an event topic of the service whose impossible event it refuses. */
  function pickRetried(service: ServiceName, topics: readonly string[]): Topic {
    const own = topics.filter((topic) => (TOPICS as readonly string[]).includes(topic)) as Topic[];
    const refused = (topic: Topic) =>
      !listed(ACTS_ON, service, topic) && !listed(ABSORBS, service, topic);
    return own.find(refused) ?? own[0]!;
  }

  /** Products on every partition of product.upserted, seeded after the poison. */
  function products(count: number): ProductSeed[] {
    return Array.from({ length: count }, (_, partition) => ({
      productId: keyOnPartition(partition, count, () => `gadget-${randomBytes(3).toString('hex')}`),
      name: `Gadget ${partition}`,
      priceMinor: 1_000 + partition,
      currency: 'EUR',
      stock: PRODUCT_STOCK,
    }));
  }

  /**
   * Orders of every outcome until each outcome has an order on every partition of the saga
   * topics: then every consumed partition carries real events written after its poison.
   */
  async function placeOrdersOnEveryPartition(productIds: readonly string[], count: number) {
    const specs = [
      { spec: 'approved', expected: 'COMPLETED', postalCode: undefined, token: CARDS.approved },
      { spec: 'declined', expected: 'CANCELED', postalCode: undefined, token: CARDS.declined },
      { spec: 'out of stock', expected: 'CANCELED', quantity: PRODUCT_STOCK + 1 },
      { spec: 'undeliverable', expected: 'CANCELED', postalCode: UNDELIVERABLE_POSTAL_CODE },
    ] as const;
    const wanted = new Set(
      specs.flatMap(({ spec }) => [...Array(count).keys()].map((p) => `${spec}|${p}`)),
    );
    for (let batch = 0; wanted.size > 0; batch++) {
      assert.ok(batch < 25, `orders never covered ${[...wanted].join(', ')}`);
      const todo = specs.filter(({ spec }) => [...wanted].some((w) => w.startsWith(`${spec}|`)));
      const placed = await mapConcurrently(
        todo.flatMap((spec) => [spec, spec]),
        8,
        async (spec) => {
          const request = orderRequest({
            customerId: `customer-${batch % 5}`,
            productId: productIds[batch % productIds.length]!,
            quantity: 'quantity' in spec ? spec.quantity : 1,
            token: 'token' in spec ? spec.token : CARDS.approved,
            postalCode: 'postalCode' in spec ? spec.postalCode : undefined,
          });
          const orderId = await session.orders.place(request, newIdempotencyKey());
          return { orderId, spec: spec.spec, expected: spec.expected as OrderStatus };
        },
      );
      for (const order of placed) {
        const partition = partitionOf(order.orderId, count);
        orders.push({ ...order, partition });
        wanted.delete(`${order.spec}|${partition}`);
      }
    }
  }

  before(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
    platform = await startPlatform({
      prefix,
      databaseSuffix: run,
      logDir: join(defaultLogDir, `poison-${run}`),
    });
    session = openSession({
      platform,
      postgresUrl: settings.POSTGRES_URL,
      admin,
      credentials: await stackCredentials(),
    });
    codec = await createAvroCodec({
      registryUrl: settings.SCHEMA_REGISTRY_URL,
      topicPrefix: prefix,
    });
    subscriptions = await consumedTopics(admin, prefix);
    const consumed = [...consumersByTopic(subscriptions).keys()];
    const metadata = await admin.fetchTopicMetadata({ topics: consumed.map((t) => prefix + t) });
    const partitions = new Map(
      metadata.topics.map(({ name, partitions }) => [name.slice(prefix.length), partitions.length]),
    );
    await poisonEverything(partitions);
    // Right after the poison, on the same partitions: the real traffic.
    const seeds = products(partitions.get('product.upserted')!);
    await session.seed(seeds);
    await placeOrdersOnEveryPartition(
      seeds.map((s) => s.productId),
      partitions.get('order.created')!,
    );
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
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  it('finds what every service consumes in its consumer group, as the contract names it', () => {
    assert.deepEqual(Object.keys(subscriptions).sort(), [...SERVICE_NAMES].sort());
    assert.deepEqual(subscriptionProblems(subscriptions), []);
  });

  it('completes the orders placed after the poison, on every poisoned partition', async () => {
    const ids = orders.map((order) => order.orderId);
    await waitForTerminal(session.orders, ids, 30_000);
    const wrong: string[] = [];
    for (const order of orders) {
      const view = await session.orders.get(order.orderId);
      if (view.status !== order.expected) {
        wrong.push(
          `${order.spec} order ${order.orderId} (partition ${order.partition}) is ${view.status}`,
        );
      }
    }
    assert.deepEqual(wrong, [], at);
  });

  /** `<service>|<topic>|<partition>|<offset>` of each dead letter a message must become. */
  const expectedLetters = (which: (message: Poisoned) => ServiceName[]) =>
    new Map(
      poisoned.flatMap((message) =>
        which(message).map((service) => [
          `${service}|${originOf(prefix + message.topic, message.partition, message.offset)}`,
          message,
        ]),
      ),
    );
  const letterKey = (letter: DeadLetterRecord) =>
    `${letter.consumer.replace(/-service$/, '')}|${letter.origin}`;
  /** A dead letter of order-service about an order an impossible event claimed. */
  const reactionTo = (message: Poisoned) => (letter: DeadLetterRecord) =>
    letter.key?.toString() === message.claims &&
    letter.dlqTopic === prefix + dlqTopic('order') &&
    !letter.origin.startsWith(`${prefix}${message.topic}|${message.partition}|`);
  /** Dead-lettered downstream, or (once the service tells) by the service that acted on it. */
  const caught = (message: Poisoned, all: readonly DeadLetterRecord[]) =>
    all.some(reactionTo(message)) ||
    message.actedOnBy.every((service) =>
      all.some(
        (letter) =>
          letterKey(letter) ===
          `${service}|${originOf(prefix + message.topic, message.partition, message.offset)}`,
      ),
    );
  const dlqTopics = () => SERVICE_NAMES.map((service) => prefix + dlqTopic(service));

  it('dead-letters every poison message, to each consumer’s DLQ, with the reason', async () => {
    const kinds = new Set(poisoned.map((message) => message.kind.split(' ')[0]));
    for (const kind of [
      'noise',
      'unknown-schema-id',
      'registered-schema-id',
      'truncated-header',
      'tombstone',
    ]) {
      assert.ok(kinds.has(kind), `no ${kind} poison generated ${at}`);
    }
    assert.ok(kinds.has('impossible'));
    const expected = expectedLetters((message) => message.deadLetteredBy);
    const actedOn = poisoned.filter((message) => message.actedOnBy.length > 0);
    letters = await readDeadLetters(
      kafka,
      dlqTopics(),
      (all) => {
        const found = new Set(all.map(letterKey));
        return (
          [...expected.keys()].every((key) => found.has(key)) &&
          actedOn.every((message) => caught(message, all))
        );
      },
      30_000,
    );
    const found = new Set(letters.map(letterKey));
    const missing = [...expected].filter(([key]) => !found.has(key));
    assert.deepEqual(
      missing.map(([key, message]) => `${key}: ${message.kind}`),
      [],
      `not dead-lettered ${at}`,
    );
    for (const letter of letters) {
      const message = expected.get(letterKey(letter));
      if (!message) continue;
      const what = `${letter.origin} (${message.kind}) on ${letter.dlqTopic} ${at}`;
      assert.equal(letter.dlqTopic, `${prefix}${letter.consumer.replace(/-service$/, '')}.dlq`);
      assert.ok(letter.error.length > 10, `${what}: no reason: ${JSON.stringify(letter.headers)}`);
      assert.match(
        letter.errorType,
        /^(UndecodableEventError|ImpossibleEventError|SchemaValidationError)$/,
        `${what}: ${letter.errorType}: ${letter.error}`,
      );
      assert.ok(letter.attempts >= 1, what);
      assert.deepEqual(letter.value, message.value, `${what}: the original bytes`);
    }
  });

  it('dead-letters what a service emits about an order nobody placed, and no real order', () => {
    // Payment charges and delivery delivers an order they cannot know was never placed; what
    // they emit about it, order-service dead-letters as an event of an unknown order.
    for (const message of poisoned.filter((m) => m.actedOnBy.length > 0)) {
      assert.ok(
        caught(message, letters),
        `nothing dead-lettered about ${message.claims} after ${message.kind} on ` +
          `${message.topic}/${message.partition} ${at}`,
      );
      const reaction = letters.find(reactionTo(message));
      if (reaction) assert.equal(reaction.errorType, 'ImpossibleEventError', reaction.error);
    }
    // Every other dead letter is one of the poison's, or about an order it claimed.
    const poison = new Set(poisoned.map((m) => originOf(prefix + m.topic, m.partition, m.offset)));
    const claimed = new Set(poisoned.flatMap((m) => (m.claims ? [m.claims] : [])));
    const real = new Set(orders.map((order) => order.orderId));
    for (const letter of letters.filter((l) => !poison.has(l.origin))) {
      const key = letter.key?.toString() ?? '';
      assert.ok(
        !real.has(key),
        `a real order was dead-lettered: ${letter.origin}: ${letter.error}`,
      );
      assert.ok(claimed.has(key), `unexplained dead letter ${letter.origin}: ${letter.error}`);
    }
  });

  it('keeps every consumer caught up, no process exited and no consumer restarted', async () => {
    assert.deepEqual(await session.quiesce(), [], at);
    for (const handle of platform!.processes()) {
      const exited = await Promise.race([handle.exited, sleep(0).then(() => undefined)]);
      assert.equal(exited, undefined, `${handle.name} exited: ${JSON.stringify(exited)}`);
      if (handle.name === 'payment-gateway') continue;
      const metrics = await (await fetch(`${handle.url}/metrics`)).text();
      const restarts = /^saga_consumer_restarts_total(?:\{[^}]*\})? (\d+)/m.exec(metrics);
      assert.equal(Number(restarts?.[1] ?? 0), 0, `${handle.name} restarted its consumer`);
    }
  });
});
