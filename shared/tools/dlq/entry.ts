import { DLQ_HEADERS } from '@saga/shared/consumer';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { Status } from './progress.js';

/** Times the tool re-published this event; the consumer carries it into a new dead letter. */
export const REPLAY_COUNT_HEADER = 'replay-count';

/** One dead letter as the tool sees it. */
export interface DeadLetterEntry {
  /** Where it sits in `<service>.dlq`. */
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  eventId: string | undefined;
  /** The event's own topic, which the consumer dispatches a retry on. */
  eventType: string | undefined;
  originalTopic: string | undefined;
  originalPartition: string | undefined;
  originalOffset: string | undefined;
  reason: string | undefined;
  attempts: number | undefined;
  replayCount: number;
  deadLetteredAt: Date | undefined;
  status: Status;
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) result[name] = String(value);
  }
  return result;
}

function optionalNumber(text: string | undefined): number | undefined {
  const value = Number(text);
  return text === undefined || !Number.isFinite(value) ? undefined : value;
}

export function toEntry(
  partition: number,
  message: KafkaMessage,
  topicPrefix: string,
  status: Status,
): DeadLetterEntry {
  const headers = stringHeaders(message.headers);
  const originalTopic = headers[DLQ_HEADERS.originalTopic];
  const at = headers[DLQ_HEADERS.deadLetteredAt];
  const deadLetteredAt = at === undefined ? undefined : new Date(at);
  return {
    partition,
    offset: Number(message.offset),
    key: message.key,
    value: message.value,
    headers,
    eventId: headers['event-id'],
    // An event produced without the `event-type` header is named by the topic it came from.
    eventType:
      headers['event-type'] ??
      (originalTopic?.endsWith('.retry') ? undefined : originalTopic?.slice(topicPrefix.length)),
    originalTopic,
    originalPartition: headers[DLQ_HEADERS.originalPartition],
    originalOffset: headers[DLQ_HEADERS.originalOffset],
    reason: headers[DLQ_HEADERS.error],
    attempts: optionalNumber(headers[DLQ_HEADERS.attempts]),
    replayCount: optionalNumber(headers[REPLAY_COUNT_HEADER]) ?? 0,
    deadLetteredAt:
      deadLetteredAt && !Number.isNaN(deadLetteredAt.getTime()) ? deadLetteredAt : undefined,
    status,
  };
}
