import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createAvroCodec, type EventCodec } from '@saga/shared/codec';
import { createConsumerRunner, DLQ_HEADERS, type Handlers } from '@saga/shared/consumer';
import { ImpossibleEventError } from '@saga/shared/errors';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import {
  type ConsumedMessage,
  consumeMessages,
  createTestDatabase,
  sampleEvent,
  stackSettings,
  type TestDatabase,
} from '@saga/shared/testing';
import { dlqTopic, retryTopic } from '@saga/shared/topics';
import { sql } from 'drizzle-orm';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { type DeadLetterEntry, REPLAY_COUNT_HEADER } from './entry.js';
import { DlqToolError } from './errors.js';
import { listDeadLetters } from './list.js';
import { purgeDeadLetters } from './purge.js';
import { replayDeadLetters } from './replay.js';
import { toolGroup } from './session.js';

const logger = createLogger({ service: 'dlq-test', level: 'silent' });
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A consumer runner for a throwaway service behind a throwaway topic prefix, so nothing else on
 * the shared broker reaches it: its handler of `order.created` fails permanently for poisoned
 * events and otherwise writes one effect row in the handler's transaction.
 */
describe('dlq tool', () => {
  const settings = stackSettings();
  const id = randomBytes(4).toString('hex');
  const target = { service: `dlqtest${id}`, topicPrefix: `t${id}.` };
  const eventTopic = `${target.topicPrefix}order.created`;
  const retry = target.topicPrefix + retryTopic(target.service);
  const dlq = target.topicPrefix + dlqTopic(target.service);
  const poisoned = new Set<string>();
  const stopRunner = new AbortController();
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let codec: EventCodec;
  let db: TestDatabase;
  let running: Promise<void>;

  before(async () => {
    kafka = createKafkaClient({ clientId: 'dlq-test', brokers: settings.KAFKA_BROKERS, logger });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [eventTopic, retry, dlq].map((topic) => ({ topic, numPartitions: 2 })),
    });
    producer = kafka.producer();
    await producer.connect();
    codec = await createAvroCodec({
      registryUrl: settings.SCHEMA_REGISTRY_URL,
      topics: ['order.created'],
    });
    db = await createTestDatabase();
    // No unique key: a second application of an event would show as a second row.
    await db.pool.query('CREATE TABLE effects (event_id uuid NOT NULL)');
    const handlers: Handlers = {
      'order.created': async (event, { tx }) => {
        if (poisoned.has(event.eventId)) {
          throw new ImpossibleEventError(`order ${event.orderId} is poisoned`);
        }
        await tx.execute(sql`INSERT INTO effects (event_id) VALUES (${event.eventId})`);
      },
    };
    running = createConsumerRunner({
      service: target.service,
      topicPrefix: target.topicPrefix,
      kafka,
      database: db,
      codec,
      handlers,
      logger,
      retry: { initialInterval: 10, maximumInterval: 50 },
    }).run(stopRunner.signal);
  });

  after(async () => {
    stopRunner.abort();
    await running;
    await producer.disconnect();
    await admin.deleteTopics({ topics: [eventTopic, retry, dlq] }).catch(() => {});
    await admin
      .deleteGroups([`${target.topicPrefix}${target.service}-service`, toolGroup(target)])
      .catch(() => {});
    await admin.disconnect();
    await db.drop();
  });

  /** Sends a new event; `poison` makes its handler fail from the first delivery on. */
  async function send(topic: string, poison: boolean, headers: Record<string, string> = {}) {
    const event = sampleEvent('order.created', { orderId: randomUUID() });
    if (poison) poisoned.add(event.eventId);
    const value = await codec.encode('order.created', event);
    const [sent] = await producer.send({
      topic,
      messages: [
        {
          key: event.orderId,
          value,
          headers: { 'event-type': 'order.created', 'event-id': event.eventId, ...headers },
        },
      ],
    });
    return { event, value, partition: sent!.partition, offset: sent!.baseOffset! };
  }

  async function effectCount(eventId: string) {
    const { rows } = await db.pool.query(
      'SELECT count(*)::int AS n FROM effects WHERE event_id = $1',
      [eventId],
    );
    return rows[0].n as number;
  }

  async function entryOf(eventId: string): Promise<DeadLetterEntry | undefined> {
    const entries = await listDeadLetters(kafka, target);
    return entries.find((entry) => entry.eventId === eventId);
  }

  async function retryMessageCount() {
    const offsets = await admin.fetchTopicOffsets(retry);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  }

  /** Resolves once the runner has committed past everything on the retry topic. */
  async function runnerCaughtUp() {
    const high = await admin.fetchTopicOffsets(retry);
    await until(async () => {
      const [committed] = await admin.fetchOffsets({
        groupId: `${target.topicPrefix}${target.service}-service`,
        topics: [retry],
      });
      const behind = high.some(
        (p) =>
          Number(p.high) > 0 &&
          Number(committed?.partitions.find((c) => c.partition === p.partition)?.offset) <
            Number(p.high),
      );
      return behind ? undefined : true;
    });
  }

  let fixed: Awaited<ReturnType<typeof send>>;

  it('lists a poisoned event with where it came from and why it failed', async () => {
    const started = Date.now();
    fixed = await send(eventTopic, true, { traceparent: TRACEPARENT, tracestate: 'vendor=1' });
    const [letter] = await consumeMessages(kafka, [dlq], (all) => all.length > 0);
    assert.equal(letter!.headers['event-id'], fixed.event.eventId);
    assert.equal(letter!.headers[DLQ_HEADERS.originalTopic], eventTopic);
    assert.equal(letter!.headers[DLQ_HEADERS.originalPartition], String(fixed.partition));
    assert.equal(letter!.headers[DLQ_HEADERS.originalOffset], fixed.offset);
    assert.equal(letter!.headers[DLQ_HEADERS.errorType], 'ImpossibleEventError');
    assert.equal(letter!.headers[DLQ_HEADERS.attempts], '1');
    assert.equal(letter!.headers[DLQ_HEADERS.consumer], `${target.service}-service`);

    const entry = await entryOf(fixed.event.eventId);
    assert.ok(entry);
    assert.equal(entry.eventType, 'order.created');
    assert.equal(entry.originalTopic, eventTopic);
    assert.match(entry.reason ?? '', /ImpossibleEventError: order .* is poisoned/);
    assert.equal(entry.attempts, 1);
    assert.equal(entry.replayCount, 0);
    assert.equal(entry.status, 'pending');
    assert.ok(entry.deadLetteredAt && entry.deadLetteredAt.getTime() >= started - 1_000);
    assert.equal(await effectCount(fixed.event.eventId), 0);
  });

  it('replays a fixed event once: its effect exists exactly once, and a second run does nothing', async () => {
    poisoned.delete(fixed.event.eventId);
    const before = await retryMessageCount();

    const dryRun = await replayDeadLetters(kafka, { ...target, dryRun: true });
    assert.deepEqual(
      dryRun.actions.map((a) => [a.entry.eventId, a.action]),
      [[fixed.event.eventId, 'replayed']],
    );
    assert.equal(await retryMessageCount(), before, 'a dry run publishes nothing');

    const first = await replayDeadLetters(kafka, target);
    assert.deepEqual(
      first.actions.map((a) => [a.entry.eventId, a.action]),
      [[fixed.event.eventId, 'replayed']],
    );
    await until(async () => ((await effectCount(fixed.event.eventId)) > 0 ? true : undefined));

    const second = await replayDeadLetters(kafka, target);
    assert.deepEqual(second.actions, [], 'the second run finds nothing pending');
    assert.equal(await retryMessageCount(), before + 1, 'exactly one replay was published');
    assert.equal((await entryOf(fixed.event.eventId))?.status, 'replayed');

    const replays = await consumeMessages(kafka, [retry], (all) => all.length > before);
    const replay = replays.find((m) => m.headers['event-id'] === fixed.event.eventId)!;
    assert.equal(replay.key, fixed.event.orderId);
    assert.deepEqual(replay.value, fixed.value);
    assert.deepEqual(replay.headers, {
      'event-id': fixed.event.eventId,
      'event-type': 'order.created',
      traceparent: TRACEPARENT,
      tracestate: 'vendor=1',
      [REPLAY_COUNT_HEADER]: '1',
    });

    // A crash between publishing and recording re-publishes on the next run: the inbox absorbs it.
    await republish(replay);
    await runnerCaughtUp();
    assert.equal(await effectCount(fixed.event.eventId), 1);
  });

  async function republish(message: ConsumedMessage) {
    await producer.send({
      topic: retry,
      messages: [{ key: message.key, value: message.value, headers: message.headers }],
    });
  }

  it('refuses an event replayed --max-replays times, and purges it without replaying', async () => {
    // As if it had been replayed three times and failed each time.
    const looping = await send(retry, true, { [REPLAY_COUNT_HEADER]: '3' });
    const eventId = looping.event.eventId;
    const entry = await until(() => entryOf(eventId));
    assert.equal(entry.replayCount, 3);
    assert.equal(entry.originalTopic, retry);
    const before = await retryMessageCount();

    const refused = await replayDeadLetters(kafka, { ...target, maxReplays: 3 });
    assert.equal(refused.actions.length, 1);
    assert.equal(refused.actions[0]!.action, 'refused');
    assert.match(refused.actions[0]!.reason!, /replayed 3 times already \(--max-replays 3\)/);
    assert.equal(await retryMessageCount(), before, 'nothing was published');
    assert.equal((await entryOf(eventId))?.status, 'pending');

    const young = await purgeDeadLetters(kafka, { ...target, olderThanMs: 3_600_000 });
    assert.deepEqual(young.actions, [], 'it is younger than an hour');
    const dryRun = await purgeDeadLetters(kafka, { ...target, eventId, dryRun: true });
    assert.equal(dryRun.actions.length, 1);
    assert.equal((await entryOf(eventId))?.status, 'pending', 'a dry run records nothing');

    const purged = await purgeDeadLetters(kafka, { ...target, eventId });
    assert.deepEqual(
      purged.actions.map((a) => [a.entry.eventId, a.action]),
      [[eventId, 'purged']],
    );
    assert.equal((await entryOf(eventId))?.status, 'purged');
    assert.deepEqual((await purgeDeadLetters(kafka, target)).actions, []);
    assert.equal(await retryMessageCount(), before, 'a purge publishes nothing');
    assert.equal(await effectCount(eventId), 0);

    // Every dead letter handled: the tool's group has committed up to the end of the DLQ.
    const high = await admin.fetchTopicOffsets(dlq);
    const [committed] = await admin.fetchOffsets({ groupId: toolGroup(target), topics: [dlq] });
    for (const { partition, high: end } of high) {
      const offset = committed?.partitions.find((p) => p.partition === partition)?.offset;
      assert.equal(Math.max(Number(offset), 0), Number(end), `partition ${partition}`);
    }
  });

  it('fails clearly for a service without topics, naming those with a DLQ', async () => {
    const { topicPrefix } = target;
    await assert.rejects(listDeadLetters(kafka, { ...target, service: 'shipping' }), (error) => {
      assert.ok(error instanceof DlqToolError);
      const { message } = error;
      const shipping = `${topicPrefix}shipping`;
      assert.ok(message.startsWith(`Topics ${shipping}.dlq and ${shipping}.retry do not`), message);
      assert.ok(message.endsWith(`Services with a DLQ topic: ${target.service}.`), message);
      return true;
    });
  });
});
