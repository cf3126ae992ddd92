import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { createAvroCodec, type EventCodec } from '../codec/index.js';
import { ImpossibleEventError } from '../errors/index.js';
import { sampleEvent } from '../events/fixtures.js';
import type { Topic, TopicEvents } from '../events/index.js';
import { createKafkaClient } from '../kafka/index.js';
import { createLogger } from '../logger/index.js';
import { createPlatformMetrics, type PlatformMetrics } from '../metrics/index.js';
import { newEventId } from '../outbox/index.js';
import { initTelemetry } from '../telemetry/index.js';
import {
  consumeMessages,
  createTestDatabase,
  deleteTopicsWithPrefix,
  stackSettings,
  type TestDatabase,
  until,
} from '../testing/index.js';
import { contractTopics, provisionTopics } from '../topics/index.js';
import { DLQ_HEADERS, type Handlers } from './index.js';
import { createConsumerRunner } from './runner.js';

const SERVICE = 'inventory';
const logger = createLogger({ service: 'consumer-test', level: 'silent' });
const telemetry = initTelemetry({ service: 'consumer-test' });
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('consumer runner', () => {
  const settings = stackSettings();
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let codec: EventCodec;
  let db: TestDatabase;
  let prefix: string;
  const prefixes: string[] = [];

  before(async () => {
    kafka = createKafkaClient({
      clientId: 'consumer-test',
      brokers: settings.KAFKA_BROKERS,
      logger,
    });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
    codec = await createAvroCodec({ registryUrl: settings.SCHEMA_REGISTRY_URL });
  });

  after(async () => {
    for (const used of prefixes) await deleteTopicsWithPrefix(admin, used);
    await producer.disconnect();
    await admin.disconnect();
    await telemetry.shutdown();
  });

  beforeEach(async () => {
    prefix = `t${randomBytes(4).toString('hex')}.`;
    prefixes.push(prefix);
    await provisionTopics(admin, contractTopics([SERVICE], prefix), { partitions: 2 });
    db = await createTestDatabase();
    await db.pool.query('CREATE TABLE effects (event_id uuid NOT NULL, note text NOT NULL)');
  });

  async function send<T extends Topic>(
    topic: T,
    value: TopicEvents[T],
    headers: Record<string, string> = {},
  ) {
    await producer.send({
      topic: prefix + topic,
      messages: [{ key: value.eventId, value: await codec.encode(topic, value), headers }],
    });
  }

  async function sendRaw(topic: Topic, bytes: Buffer) {
    await producer.send({ topic: prefix + topic, messages: [{ key: 'raw', value: bytes }] });
  }

  async function effects() {
    const { rows } = await db.pool.query<{ event_id: string; note: string }>(
      'SELECT event_id, note FROM effects ORDER BY note',
    );
    return rows;
  }

  function start(
    handlers: Handlers,
    options: { offsetCommitIntervalMs?: number; metrics?: PlatformMetrics } = {},
  ) {
    const metrics = options.metrics ?? createPlatformMetrics('consumer-test');
    const controller = new AbortController();
    const runner = createConsumerRunner({
      service: SERVICE,
      kafka,
      database: db,
      codec,
      handlers,
      logger,
      metrics,
      topicPrefix: prefix,
      retry: { initialInterval: 10, maximumInterval: 50, maximumAttempts: 3 },
      ...options,
    });
    const running = runner.run(controller.signal);
    return {
      metrics,
      async stop() {
        controller.abort();
        await running;
        await db.drop();
      },
    };
  }

  const recordEffect: Handlers['payment.completed'] = async (event, { tx, emit }) => {
    await tx.execute(sql`INSERT INTO effects VALUES (${event.eventId}, ${event.orderId})`);
    const reserved = sampleEvent('stock.reserved', {
      orderId: event.orderId,
      causationId: event.eventId,
    });
    await emit([{ topic: 'stock.reserved', value: reserved }]);
  };

  it('applies an event and appends what it causes in the same transaction', async () => {
    const runner = start({ 'payment.completed': recordEffect });
    const event = sampleEvent('payment.completed');
    await send('payment.completed', event);
    await until(async () => (await effects()).length === 1);
    const { rows } = await db.pool.query('SELECT topic, key FROM outbox');
    assert.deepEqual(rows, [{ topic: 'stock.reserved', key: event.orderId }]);
    const inbox = await db.pool.query('SELECT consumer, event_id FROM processed_events');
    assert.deepEqual(inbox.rows, [{ consumer: 'inventory-service', event_id: event.eventId }]);
    await runner.stop();
  });

  it('acknowledges and skips a duplicate event', async () => {
    const runner = start({ 'payment.completed': recordEffect });
    const event = sampleEvent('payment.completed');
    const marker = sampleEvent('payment.completed', { orderId: 'marker' });
    await send('payment.completed', event);
    await send('payment.completed', event);
    await send('payment.completed', marker);
    await until(async () => (await effects()).some((row) => row.note === 'marker'));
    await until(async () => {
      const values = await runner.metrics.eventsHandled.get();
      const count = (outcome: string) =>
        values.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
      return count('ok') + count('duplicate') === 3;
    });
    const rows = await effects();
    assert.equal(rows.filter((row) => row.event_id === event.eventId).length, 1);
    const handled = await runner.metrics.eventsHandled.get();
    const duplicates = handled.values.find((v) => v.labels.outcome === 'duplicate');
    assert.equal(duplicates?.value, 1);
    await runner.stop();
  });

  it('dead-letters an undecodable value with its origin and reason, and moves on', async () => {
    const runner = start({ 'payment.completed': recordEffect });
    await sendRaw('payment.completed', Buffer.from('not avro at all'));
    const after = sampleEvent('payment.completed', { orderId: 'after-poison' });
    await send('payment.completed', after);
    await until(async () => (await effects()).some((row) => row.note === 'after-poison'));
    const [letter] = await consumeMessages(
      kafka,
      [`${prefix}${SERVICE}.dlq`],
      (all) => all.length >= 1,
    );
    assert.equal(letter?.headers[DLQ_HEADERS.originalTopic], `${prefix}payment.completed`);
    assert.match(letter?.headers[DLQ_HEADERS.originalPartition] ?? '', /^\d+$/);
    assert.match(letter?.headers[DLQ_HEADERS.originalOffset] ?? '', /^\d+$/);
    assert.equal(letter?.headers[DLQ_HEADERS.errorType], 'UndecodableEventError');
    assert.equal(letter?.headers[DLQ_HEADERS.attempts], '1');
    assert.equal(letter?.value.toString(), 'not avro at all');
    await runner.stop();
  });

  it('dead-letters an impossible event at once and a failing one after its attempts', async () => {
    const runner = start({
      'payment.completed': async (event) => {
        if (event.orderId === 'impossible') throw new ImpossibleEventError('no such order');
        throw new Error('handler bug');
      },
    });
    await send('payment.completed', sampleEvent('payment.completed', { orderId: 'impossible' }));
    await send('payment.completed', sampleEvent('payment.completed', { orderId: 'buggy' }));
    const letters = await consumeMessages(
      kafka,
      [`${prefix}${SERVICE}.dlq`],
      (all) => all.length >= 2,
    );
    const attempts = Object.fromEntries(
      letters.map((l) => [l.headers[DLQ_HEADERS.errorType], l.headers[DLQ_HEADERS.attempts]]),
    );
    assert.deepEqual(attempts, { ImpossibleEventError: '1', Error: '3' });
    await runner.stop();
  });

  it('waits out a transient failure instead of dead-lettering', async () => {
    let failures = 0;
    const runner = start({
      'payment.completed': async (event, context) => {
        if (failures < 4) {
          failures++;
          throw Object.assign(new Error('could not serialize access'), { code: '40001' });
        }
        await recordEffect(event, context);
      },
    });
    await send('payment.completed', sampleEvent('payment.completed'));
    await until(async () => (await effects()).length === 1);
    assert.equal(failures, 4, 'more failures than maximumAttempts, still retried');
    const handled = await runner.metrics.eventsHandled.get();
    assert.equal(
      handled.values.find((v) => v.labels.outcome === 'dead-lettered'),
      undefined,
    );
    await runner.stop();
  });

  it('continues the trace of the event and hands it to the events it causes', async () => {
    const runner = start({ 'payment.completed': recordEffect });
    const traceparent = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
    await send('payment.completed', sampleEvent('payment.completed'), { traceparent });
    await until(async () => (await effects()).length === 1);
    const { rows } = await db.pool.query<{ headers: Record<string, string> }>(
      'SELECT headers FROM outbox',
    );
    assert.equal(rows[0]?.headers.traceparent?.split('-')[1], TRACE_ID);
    assert.notEqual(rows[0]?.headers.traceparent, traceparent, 'a new span of the same trace');
    assert.equal(rows[0]?.headers['event-type'], 'stock.reserved');
    await runner.stop();
  });

  it('runs commit callbacks only for the attempt that committed', async () => {
    const calls: string[] = [];
    let attempt = 0;
    const runner = start({
      'payment.completed': async (event, context) => {
        attempt++;
        context.onCommitted(() => calls.push(`attempt ${attempt}`));
        if (attempt === 1) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
        await recordEffect(event, context);
      },
    });
    await send('payment.completed', sampleEvent('payment.completed'));
    await until(async () => calls.length > 0);
    assert.deepEqual(calls, ['attempt 2']);
    await runner.stop();
  });

  // One key: one partition's batch in a transaction. Many keys: both partitions' batches, which
  // the runner applies in a shared transaction.
  for (const [where, keyOf] of [
    ['of one partition', () => 'one-partition'],
    ['across partitions', (i: number) => `key-${i}`],
  ] as const) {
    it(`applies a backlog ${where} together and still isolates a poison event inside it`, async () => {
      const events = Array.from({ length: 21 }, (_, i) =>
        sampleEvent('payment.completed', { orderId: i === 10 ? 'impossible' : `backlog-${i}` }),
      );
      await producer.send({
        topic: `${prefix}payment.completed`,
        messages: await Promise.all(
          events.map(async (event, i) => ({
            key: keyOf(i),
            value: await codec.encode('payment.completed', event),
          })),
        ),
      });
      const runner = start({
        'payment.completed': async (event, context) => {
          if (event.orderId === 'impossible') throw new ImpossibleEventError('no such order');
          await recordEffect(event, context);
        },
      });
      await until(async () => (await effects()).length === 20);
      const [letter] = await consumeMessages(
        kafka,
        [`${prefix}${SERVICE}.dlq`],
        (all) => all.length >= 1,
      );
      assert.equal(letter?.headers[DLQ_HEADERS.errorType], 'ImpossibleEventError');
      const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM outbox');
      assert.equal(rows[0].n, 20, 'the rolled-back batch left no outbox rows behind');
      await runner.stop();
    });
  }

  async function committedOffsets() {
    const [committed] = await admin.fetchOffsets({
      groupId: `${prefix}inventory-service`,
      topics: [`${prefix}payment.completed`],
    });
    return committed?.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  }

  it('commits the offsets of applied events while it runs', async () => {
    const runner = start({ 'payment.completed': recordEffect }, { offsetCommitIntervalMs: 50 });
    for (let i = 0; i < 5; i++) await send('payment.completed', sampleEvent('payment.completed'));
    await until(async () => (await committedOffsets()) === 5, 'offsets of 5 events committed');
    assert.equal((await effects()).length, 5);
    await runner.stop();
  });

  it('commits the offsets of finished work on shutdown', async () => {
    // No commit is due before the stop: only the shutdown can commit these.
    const runner = start({ 'payment.completed': recordEffect }, { offsetCommitIntervalMs: 60_000 });
    for (let i = 0; i < 5; i++) await send('payment.completed', sampleEvent('payment.completed'));
    await until(async () => (await effects()).length === 5);
    assert.equal(await committedOffsets(), 0, 'nothing committed before the stop');
    await runner.stop();
    assert.equal(await committedOffsets(), 5);
  });

  it('starts a new Kafka consumer when kafkajs gives its consumer up', async () => {
    // kafkajs restarts its consumer after most failures but stops it for good after some: no
    // group coordinator found while the broker restarts, or a TypeError out of the batch code,
    // as this lag gauge throws once.
    const metrics = createPlatformMetrics('consumer-test');
    const lag = metrics.consumerLag;
    const setLag = lag.set.bind(lag) as (...args: unknown[]) => void;
    let thrown = false;
    lag.set = ((...args: unknown[]) => {
      if (thrown) return setLag(...args);
      thrown = true;
      throw new TypeError('lag gauge failed');
    }) as typeof lag.set;
    const runner = start({ 'payment.completed': recordEffect }, { metrics });
    const applied = (orderId: string) => async () =>
      (await effects()).some((row) => row.note === orderId);
    await send('payment.completed', sampleEvent('payment.completed', { orderId: 'first' }));
    await until(async () => thrown, 'the batch code failed');
    await send('payment.completed', sampleEvent('payment.completed', { orderId: 'second' }));
    await until(applied('second'), 'an event sent after the failure applied');
    assert.equal((await metrics.consumerRestarts.get()).values[0]?.value, 1);
    assert.deepEqual((await effects()).map((row) => row.note).sort(), ['first', 'second']);
    await runner.stop();
  });

  it('picks up an event re-delivered on its retry topic by its event-type header', async () => {
    const runner = start({ 'payment.completed': recordEffect });
    const event = sampleEvent('payment.completed', { eventId: newEventId(), orderId: 'retried' });
    await producer.send({
      topic: `${prefix}${SERVICE}.retry`,
      messages: [
        {
          key: event.orderId,
          value: await codec.encode('payment.completed', event),
          headers: { 'event-type': 'payment.completed' },
        },
      ],
    });
    await until(async () => (await effects()).some((row) => row.note === 'retried'));
    await runner.stop();
  });
});
