import { randomBytes } from 'node:crypto';
import { DLQ_HEADERS } from '@saga/shared/consumer';
import type { Kafka } from 'kafkajs';

/** One message of a `<service>.dlq` topic, with the dead-letter headers read back. */
export interface DeadLetterRecord {
  dlqTopic: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** `<topic>|<partition>|<offset>` of the message that was dead-lettered (topic with prefix). */
  origin: string;
  consumer: string;
  error: string;
  errorType: string;
  attempts: number;
}

export const originOf = (topic: string, partition: number, offset: string) =>
  `${topic}|${partition}|${offset}`;

/**
 * Reads `dlqTopics` from the beginning until `enough` says so or `timeoutMs` passes, and returns
 * what arrived either way: the caller's assertion names what is missing.
 */
export async function readDeadLetters(
  kafka: Kafka,
  dlqTopics: readonly string[],
  enough: (letters: readonly DeadLetterRecord[]) => boolean,
  timeoutMs: number,
): Promise<DeadLetterRecord[]> {
  const letters: DeadLetterRecord[] = [];
  const consumer = kafka.consumer({
    groupId: `dlq-reader-${randomBytes(6).toString('hex')}`,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...dlqTopics], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, timeoutMs);
      consumer
        .run({
          eachMessage: async ({ topic, message }) => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(message.headers ?? {})) {
              if (value !== undefined) headers[name] = String(value);
            }
            letters.push({
              dlqTopic: topic,
              key: message.key,
              value: message.value,
              headers,
              origin: originOf(
                headers[DLQ_HEADERS.originalTopic] ?? '?',
                Number(headers[DLQ_HEADERS.originalPartition]),
                headers[DLQ_HEADERS.originalOffset] ?? '?',
              ),
              consumer: headers[DLQ_HEADERS.consumer] ?? '',
              error: headers[DLQ_HEADERS.error] ?? '',
              errorType: headers[DLQ_HEADERS.errorType] ?? '',
              attempts: Number(headers[DLQ_HEADERS.attempts]),
            });
            if (enough(letters)) {
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
  return letters;
}
