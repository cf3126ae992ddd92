import { type Kafka, Partitioners, type Producer } from 'kafkajs';

export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  error: unknown;
  attempts: number;
}

/** Header names of a dead letter; the DLQ tool reads them back. */
export const DLQ_HEADERS = {
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  error: 'dlq-error',
  errorType: 'dlq-error-type',
  attempts: 'dlq-attempts',
  consumer: 'dlq-consumer',
  deadLetteredAt: 'dlq-dead-lettered-at',
} as const;

export interface DeadLetterQueue {
  send(letter: DeadLetter): Promise<void>;
  close(): Promise<void>;
}

export class DeadLetterPublishError extends Error {
  constructor(letter: DeadLetter, cause: unknown) {
    super(
      `Could not dead-letter ${letter.topic}/${letter.partition}@${letter.offset} ` +
        `(failed with: ${describe(letter.error)}): ${describe(cause)}`,
      { cause },
    );
    this.name = 'DeadLetterPublishError';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Sends poison events to `<service>.dlq` with the original bytes, key and headers, plus where
 * they came from and why they failed. A plain producer: dead letters are rare and sent from
 * several partitions at once, which the idempotent producer does not allow.
 */
export async function createDeadLetterQueue(
  kafka: Kafka,
  dlqTopic: string,
  consumer: string,
): Promise<DeadLetterQueue> {
  const producer: Producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  return {
    async send(letter) {
      const reason = describe(letter.error);
      try {
        await producer.send({
          topic: dlqTopic,
          acks: -1,
          messages: [
            {
              key: letter.key,
              value: letter.value,
              headers: {
                ...letter.headers,
                [DLQ_HEADERS.originalTopic]: letter.topic,
                [DLQ_HEADERS.originalPartition]: String(letter.partition),
                [DLQ_HEADERS.originalOffset]: letter.offset,
                [DLQ_HEADERS.error]: reason.slice(0, 2000),
                [DLQ_HEADERS.errorType]:
                  letter.error instanceof Error ? letter.error.name : 'unknown',
                [DLQ_HEADERS.attempts]: String(letter.attempts),
                [DLQ_HEADERS.consumer]: consumer,
                [DLQ_HEADERS.deadLetteredAt]: new Date().toISOString(),
              },
            },
          ],
        });
      } catch (cause) {
        // Surface both failures: the partition must not move on without its dead letter.
        throw new DeadLetterPublishError(letter, cause);
      }
    },
    close: () => producer.disconnect(),
  };
}
