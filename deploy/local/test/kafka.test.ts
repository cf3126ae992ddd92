import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import kafkajs, { type EachMessagePayload, Kafka, logLevel, Partitioners } from 'kafkajs';
import { runId, setting } from './settings.ts';

describe('kafka', () => {
  const kafka = new Kafka({
    clientId: 'stack-test',
    brokers: setting('KAFKA_BROKERS').split(','),
    logLevel: logLevel.ERROR,
  });
  const admin = kafka.admin();
  const topic = `stack-test.kafka.${runId}`;

  before(async () => {
    await admin.connect();
    // Created explicitly: the broker runs with auto.create.topics.enable=false.
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  });

  after(async () => {
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  it('produces and consumes a record', async () => {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: `stack-test-${runId}` });
    await Promise.all([producer.connect(), consumer.connect()]);
    try {
      await producer.send({ topic, messages: [{ key: 'order-1', value: 'hello' }] });
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = new Promise<EachMessagePayload['message']>((resolve) => {
        void consumer.run({ eachMessage: async ({ message }) => resolve(message) });
      });
      const message = await received;
      assert.equal(message.key?.toString(), 'order-1');
      assert.equal(message.value?.toString(), 'hello');
    } finally {
      await Promise.all([producer.disconnect(), consumer.disconnect()]);
      await admin.deleteGroups([`stack-test-${runId}`]).catch(() => {});
    }
  });

  it('creates no topic implicitly', async () => {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        {
          // kafkajs is CommonJS: Node's ESM loader cannot see this enum as a named export.
          type: kafkajs.ConfigResourceTypes.BROKER,
          name: '1',
          configNames: ['auto.create.topics.enable'],
        },
      ],
    });
    assert.equal(resources[0]?.configEntries[0]?.configValue, 'false');
  });
});
