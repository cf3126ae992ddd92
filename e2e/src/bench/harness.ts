import { randomBytes } from 'node:crypto';
import { createAvroCodec } from '@saga/shared/codec';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import { createTestDatabase, deleteTopicsWithPrefix, stackSettings } from '@saga/shared/testing';
import { dlqTopic, provisionTopics, retryTopic } from '@saga/shared/topics';

/** The only event topic the benchmarks publish, with the retry and DLQ topics of their consumer. */
const BENCH_TOPICS = ['payment.completed', retryTopic('bench'), dlqTopic('bench')];

/**
 * What every benchmark needs: the stack's Kafka and registry, a topic prefix of its own, and
 * throwaway databases, all removed by `cleanup()`. Only the topics used are created: the broker
 * deletes a topic's files a minute after the topic, so a whole contract's worth of partitions
 * would be torn down during the next run's measurement.
 */
export async function benchEnvironment(partitions = 6) {
  const settings = stackSettings();
  const logger = createLogger({ service: 'bench', level: 'warn' });
  const kafka = createKafkaClient({ clientId: 'bench', brokers: settings.KAFKA_BROKERS, logger });
  const admin = kafka.admin();
  await admin.connect();
  const prefix = `bench${randomBytes(3).toString('hex')}.`;
  await provisionTopics(
    admin,
    BENCH_TOPICS.map((topic) => prefix + topic),
    { partitions },
  );
  const codec = await createAvroCodec({
    registryUrl: settings.SCHEMA_REGISTRY_URL,
    topicPrefix: prefix,
    topics: ['payment.completed'],
  });
  const databases: Awaited<ReturnType<typeof createTestDatabase>>[] = [];
  return {
    settings,
    logger,
    kafka,
    admin,
    prefix,
    codec,
    async database() {
      const database = await createTestDatabase();
      databases.push(database);
      return database;
    },
    async cleanup() {
      for (const database of databases) await database.drop();
      await deleteTopicsWithPrefix(admin, prefix);
      await admin.disconnect();
    },
  };
}
