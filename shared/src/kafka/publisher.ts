import { CompressionTypes, type Kafka, Partitioners, type Producer } from 'kafkajs';

export interface OutgoingMessage {
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** Publishes batches in order and resolves once every message is acknowledged by all replicas. */
export interface Publisher {
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * An idempotent producer: broker-side deduplication of producer retries, and with one request in
 * flight retries cannot reorder a partition. Callers must not publish concurrently (the relay
 * sends one batch at a time).
 */
export async function createPublisher(kafka: Kafka): Promise<Publisher> {
  const producer: Producer = kafka.producer({
    // Murmur2, the Java client's partitioner: keys land where other clients put them.
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  return {
    async publish(messages) {
      if (messages.length === 0) return;
      const byTopic = new Map<
        string,
        { key: string; value: Buffer; headers: Record<string, string> }[]
      >();
      for (const { topic, key, value, headers } of messages) {
        const list = byTopic.get(topic) ?? [];
        byTopic.set(topic, list);
        list.push({ key, value, headers });
      }
      await producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
      });
    },
    close: () => producer.disconnect(),
  };
}
