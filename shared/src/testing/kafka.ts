import { randomBytes } from 'node:crypto';
import type { Admin, Consumer, IHeaders, Kafka } from 'kafkajs';
import { TOPICS, topicSubject } from '../events/index.js';
import { stackSettings } from './stack.js';

export async function createTestTopic(admin: Admin, prefix: string, partitions = 3) {
  const topic = `${prefix}.${randomBytes(4).toString('hex')}`;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: partitions }],
  });
  return topic;
}

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]),
  );
}

/**
 * Reads `topics` from the beginning with a throwaway group, handing each message to `onMessage`,
 * until the consumer it resolves with (once the group is joined) is disconnected.
 */
export async function readMessages(
  kafka: Kafka,
  topics: readonly string[],
  onMessage: (message: ConsumedMessage) => void,
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: `test-${randomBytes(6).toString('hex')}` });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) =>
        onMessage({
          topic,
          partition,
          offset: message.offset,
          key: String(message.key),
          value: message.value ?? Buffer.alloc(0),
          headers: stringHeaders(message.headers),
        }),
    });
  } catch (error) {
    await consumer.disconnect();
    throw error;
  }
  return consumer;
}

/**
 * Reads `topics` from the beginning with a throwaway group until `until` says enough (or the
 * timeout passes, which fails with what arrived so far).
 */
export async function consumeMessages(
  kafka: Kafka,
  topics: readonly string[],
  until: (received: readonly ConsumedMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<ConsumedMessage[]> {
  const received: ConsumedMessage[] = [];
  let enough!: () => void;
  const enoughReceived = new Promise<void>((resolve) => {
    enough = resolve;
  });
  const consumer = await readMessages(kafka, topics, (message) => {
    received.push(message);
    if (until(received)) enough();
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out with ${received.length} messages received`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([enoughReceived, timedOut]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return received;
}

/**
 * Deletes the topics a test created under `prefix` and their schema subjects, so a long-lived
 * broker and registry do not fill up.
 */
export async function deleteTopicsWithPrefix(admin: Admin, prefix: string) {
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics });
  const registryUrl = stackSettings().SCHEMA_REGISTRY_URL;
  await Promise.all(TOPICS.map((topic) => deleteSubject(registryUrl, topicSubject(topic, prefix))));
}

/** Soft, then hard: the registry hard-deletes only a soft-deleted subject. Absent is deleted. */
async function deleteSubject(registryUrl: string, subject: string) {
  for (const url of [
    `${registryUrl}/subjects/${subject}`,
    `${registryUrl}/subjects/${subject}?permanent=true`,
  ]) {
    const response = await fetch(url, { method: 'DELETE' });
    const body = await response.text();
    if (!response.ok && response.status !== 404) {
      throw new Error(`DELETE ${url} answered ${response.status}: ${body}`);
    }
  }
}
