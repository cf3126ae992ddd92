import { randomBytes } from 'node:crypto';
import type { Admin, IHeaders, Kafka } from 'kafkajs';

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
  const consumer = kafka.consumer({ groupId: `test-${randomBytes(6).toString('hex')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out with ${received.length} messages received`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            received.push({
              topic,
              partition,
              offset: message.offset,
              key: String(message.key),
              value: message.value ?? Buffer.alloc(0),
              headers: stringHeaders(message.headers),
            });
            if (until(received)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

/** Deletes the topics a test created under `prefix`, so a long-lived broker does not fill up. */
export async function deleteTopicsWithPrefix(admin: Admin, prefix: string) {
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics });
}
