import type { Kafka } from 'kafkajs';
import type { DeadLetterEntry } from './entry.js';
import { type DlqTarget, openSession } from './session.js';

/** Every retained dead letter of `service`, with whether the tool replayed or purged it. */
export async function listDeadLetters(kafka: Kafka, target: DlqTarget): Promise<DeadLetterEntry[]> {
  const session = await openSession(kafka, target, 'inspect');
  try {
    return session.letters;
  } finally {
    await session.close();
  }
}
