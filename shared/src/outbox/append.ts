import { v7 as uuidv7 } from 'uuid';
import type { Statement } from '../db/index.js';
import type { Topic, TopicEvents } from '../events/index.js';
import type { TraceHeaders } from '../telemetry/index.js';

/** An event to publish: one of the contract's topics with a value of that topic's type. */
export type OutboxEvent = { [T in Topic]: { topic: T; value: TopicEvents[T] } }[Topic];

/** The part of the codec the writer needs: validation happens inside `encode`. */
export interface EventEncoder {
  encode<T extends Topic>(topic: T, value: TopicEvents[T]): Promise<Buffer>;
}

/** Event ids are UUIDv7: unique, and roughly time-ordered, which keeps the inbox index compact. */
export const newEventId = (): string => uuidv7();

/** The Kafka key: the saga id, or the product id for the product replica. */
export function eventKey(value: TopicEvents[Topic]): string {
  return 'orderId' in value ? value.orderId : value.productId;
}

/**
 * The events one transaction emits, written to the outbox by one INSERT that goes out with the
 * transaction's COMMIT (see `transaction`), so they commit or vanish with the state change that
 * caused them.
 */
export interface OutboxWrites {
  /**
   * Encodes the events, which validates each against its schema: a bad event fails the business
   * transaction here, not the relay later. Each carries `trace`, the context of the span that
   * caused it, so its consumers continue that trace.
   */
  emit(events: readonly OutboxEvent[], trace: TraceHeaders): Promise<void>;
  /** Whether any event was emitted: the relay is woken after the commit. */
  readonly emitted: boolean;
  /** The INSERT of every event emitted so far; undefined when there is none. */
  statement(): Statement | undefined;
}

const COLUMNS = 5;

export function outboxWrites(encoder: EventEncoder): OutboxWrites {
  const values: unknown[] = [];
  return {
    async emit(events, trace) {
      for (const event of events) {
        const { eventId } = event.value;
        const payload = await encoder.encode(event.topic, event.value as never);
        const headers = { ...trace, 'event-type': event.topic, 'event-id': eventId };
        values.push(eventId, event.topic, eventKey(event.value), payload, headers);
      }
    },
    get emitted() {
      return values.length > 0;
    },
    statement() {
      const rows = values.length / COLUMNS;
      if (rows === 0) return undefined;
      const tuples = Array.from({ length: rows }, (_, row) => {
        const at = row * COLUMNS;
        return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5})`;
      });
      // One text per row count, which the connection prepares like any repeated statement.
      return {
        text: `INSERT INTO outbox (event_id, topic, key, payload, headers) VALUES ${tuples.join(', ')}`,
        values,
      };
    },
  };
}
