import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Admin } from 'kafkajs';
import { createKafkaClient } from '../kafka/index.js';
import { createLogger } from '../logger/index.js';
import { stackSettings } from '../testing/index.js';
import { contractTopics, provisionTopics } from './index.js';

describe('topic provisioner', () => {
  let admin: Admin;
  const logger = createLogger({ service: 'topics-test', level: 'warn' });

  before(async () => {
    const kafka = createKafkaClient({
      clientId: 'topics-test',
      brokers: stackSettings().KAFKA_BROKERS,
      logger,
    });
    admin = kafka.admin();
    await admin.connect();
  });

  after(() => admin.disconnect());

  it('names every event topic and a retry and DLQ topic per service', () => {
    const topics = contractTopics(['order', 'payment', 'inventory', 'delivery']);
    assert.equal(topics.length, 13 + 4 * 2);
    for (const name of [
      'order.created',
      'stock.reservation-failed',
      'payment.refund-failed',
      'payment.retry',
      'order.dlq',
    ]) {
      assert.ok(topics.includes(name), name);
    }
  });

  it('creates missing topics with the configured partitions, and a second run is a no-op', async () => {
    const suffix = randomBytes(4).toString('hex');
    const topics = contractTopics([`svc-${suffix}`]).map((topic) => `${topic}.${suffix}`);
    const first = await provisionTopics(admin, topics, { partitions: 4 });
    assert.deepEqual(first.created.sort(), [...topics].sort());

    const second = await provisionTopics(admin, topics, { partitions: 4 });
    assert.deepEqual(second.created, []);
    assert.deepEqual(second.existing.sort(), [...topics].sort());

    const metadata = await admin.fetchTopicMetadata({ topics });
    for (const topic of metadata.topics) assert.equal(topic.partitions.length, 4, topic.name);
    await admin.deleteTopics({ topics });
  });
});
