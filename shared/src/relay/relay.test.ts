import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Admin, Kafka } from 'kafkajs';
import { createKafkaClient, createPublisher, type Publisher } from '../kafka/index.js';
import { createLogger } from '../logger/index.js';
import { createPlatformMetrics } from '../metrics/index.js';
import {
  type ConsumedMessage,
  consumeMessages,
  createTestDatabase,
  createTestTopic,
  stackSettings,
  startChild,
  type TestDatabase,
  until,
} from '../testing/index.js';
import { createRelay, type RelayConfig } from './index.js';

const relayProcess = new URL('../testing/relay-process.ts', import.meta.url);
const logger = createLogger({ service: 'relay-test', level: 'warn' });

async function insertRows(
  db: TestDatabase,
  topic: string,
  rows: { key: string; value: string }[],
  client: { query: TestDatabase['pool']['query'] } = db.pool,
) {
  for (const { key, value } of rows) {
    await client.query(
      'INSERT INTO outbox (event_id, topic, key, payload, headers) VALUES ($1, $2, $3, $4, $5)',
      [randomUUID(), topic, key, Buffer.from(value), { 'event-type': topic }],
    );
  }
}

async function unpublishedCount(db: TestDatabase) {
  const { rows } = await db.pool.query(
    'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
  );
  return rows[0].n as number;
}

function values(messages: readonly ConsumedMessage[]) {
  return messages.map((message) => message.value.toString());
}

describe('outbox relay', () => {
  const settings = stackSettings();
  let kafka: Kafka;
  let admin: Admin;
  let publisher: Publisher;
  let db: TestDatabase;
  let topic: string;

  before(async () => {
    kafka = createKafkaClient({ clientId: 'relay-test', brokers: settings.KAFKA_BROKERS, logger });
    admin = kafka.admin();
    await admin.connect();
    publisher = await createPublisher(kafka);
  });

  after(async () => {
    await publisher.close();
    await admin.disconnect();
  });

  async function freshTopicAndDatabase() {
    db = await createTestDatabase();
    topic = await createTestTopic(admin, 'relay-test');
  }

  function startRelay(options: Partial<RelayConfig> = {}) {
    const controller = new AbortController();
    const relay = createRelay({
      pool: db.pool,
      databaseUrl: db.url,
      publisher,
      logger,
      pollIntervalMs: 50,
      standbyIntervalMs: 100,
      ...options,
    });
    const running = relay.run(controller.signal);
    return {
      relay,
      stop: () => {
        controller.abort();
        return running;
      },
    };
  }

  it('publishes every row once, in id order per key, and marks it published', async () => {
    await freshTopicAndDatabase();
    const rows = Array.from({ length: 300 }, (_, i) => ({ key: `order-${i % 7}`, value: `${i}` }));
    await insertRows(db, topic, rows);
    // Batches of 32: reads of the next batch and marks of the last overlap with publishing.
    const { stop } = startRelay({ batchSize: 32 });
    const received = await consumeMessages(kafka, [topic], (all) => all.length >= rows.length);
    await stop();
    // Counted at the broker, after the relay stopped: a row published twice shows here even if
    // its copy arrived after the consumer above had all it waited for.
    const offsets = await admin.fetchTopicOffsets(topic);
    const published = offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
    assert.equal(published, rows.length, 'every row published once');
    for (let key = 0; key < 7; key++) {
      const expected = rows.filter((row) => row.key === `order-${key}`).map((row) => row.value);
      const got = received.filter((m) => m.key === `order-${key}`);
      // Exactly the expected sequence: a row out of order fails here.
      assert.deepEqual(values(got), expected, `order of key order-${key}`);
      assert.equal(new Set(got.map((m) => m.partition)).size, 1, 'one key, one partition');
    }
    assert.equal(await unpublishedCount(db), 0);
    await db.drop();
  });

  it('publishes a row whose transaction commits after a later id was published', async () => {
    await freshTopicAndDatabase();
    const late = await db.pool.connect();
    await late.query('BEGIN');
    await insertRows(db, topic, [{ key: 'k', value: 'committed-late' }], late);
    await insertRows(db, topic, [{ key: 'k', value: 'committed-first' }]);
    const { relay, stop } = startRelay();
    await consumeMessages(kafka, [topic], (all) => values(all).includes('committed-first'));
    await late.query('COMMIT');
    late.release();
    relay.wake();
    const received = await consumeMessages(kafka, [topic], (all) => all.length >= 2);
    await stop();
    assert.deepEqual(values(received).sort(), ['committed-first', 'committed-late']);
    await db.drop();
  });

  it('loses nothing when it crashes between publish and mark', async () => {
    await freshTopicAndDatabase();
    const rows = Array.from({ length: 50 }, (_, i) => ({ key: `k${i % 5}`, value: `${i}` }));
    await insertRows(db, topic, rows);
    const env = { DATABASE_URL: db.url, KAFKA_BROKERS: settings.KAFKA_BROKERS.join(',') };
    const crashing = startChild(relayProcess, { ...env, CRASH_AFTER_PUBLISH: '1' });
    assert.equal(await crashing.exited, 'SIGKILL');
    assert.equal(await unpublishedCount(db), rows.length, 'the crash came before the mark');

    const survivor = startChild(relayProcess, env);
    const received = await consumeMessages(kafka, [topic], (all) => all.length >= 2 * rows.length);
    await survivor.kill();
    assert.deepEqual(new Set(values(received)), new Set(rows.map((row) => row.value)));
    assert.equal(await unpublishedCount(db), 0);
    await db.drop();
  });

  it('lets one of two relays publish and hands over when the leader is killed', async () => {
    await freshTopicAndDatabase();
    const env = { DATABASE_URL: db.url, KAFKA_BROKERS: settings.KAFKA_BROKERS.join(',') };
    const first = startChild(relayProcess, env);
    await first.waitFor('leader');
    const second = startChild(relayProcess, env);
    await second.waitFor('started');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(!second.output().includes('leader'), 'the standby must not lead');

    const { rows: before } = await db.pool.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'outbox-relay' AND datname = $1",
      [db.name],
    );
    assert.equal(before[0].n, 2, 'both relays are connected');

    await first.kill('SIGKILL');
    await second.waitFor('leader', 10_000);
    await insertRows(db, topic, [{ key: 'k', value: 'after-handover' }]);
    const received = await consumeMessages(kafka, [topic], (all) =>
      values(all).includes('after-handover'),
    );
    assert.ok(values(received).includes('after-handover'));
    await second.kill();
    await db.drop();
  });

  it('prunes published rows after the retention period and gauges the rows still pending', async () => {
    await freshTopicAndDatabase();
    // Its own client gives up at once, so a row for a missing topic stays pending; the failing
    // rounds it causes are expected, so this relay logs nothing.
    const quiet = createLogger({ service: 'relay-test', level: 'silent' });
    const impatient = await createPublisher(
      createKafkaClient({
        clientId: 'relay-test-impatient',
        brokers: settings.KAFKA_BROKERS,
        logger: quiet,
        retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 },
      }),
    );
    const metrics = createPlatformMetrics('relay-test');
    const gauge = async (name: 'outboxPending' | 'outboxOldestAge') =>
      (await metrics[name].get()).values[0]?.value ?? 0;
    const { relay, stop } = startRelay({
      publisher: impatient,
      logger: quiet,
      metrics,
      retentionMs: 300,
      housekeepingIntervalMs: 50,
    });
    await insertRows(db, topic, [
      { key: 'k', value: 'one' },
      { key: 'k', value: 'two' },
    ]);
    relay.wake();
    await consumeMessages(kafka, [topic], (all) => all.length >= 2);
    const total = async () =>
      (await db.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n;
    await until(async () => (await total()) === 0);

    await insertRows(db, `${topic}-missing`, [{ key: 'k', value: 'stuck' }]);
    relay.wake();
    await until(
      async () => (await gauge('outboxPending')) === 1 && (await gauge('outboxOldestAge')) > 0.1,
    );
    assert.equal(await total(), 1, 'an unpublished row is never pruned');
    await stop();
    await impatient.close();
    await db.drop();
  });
});
