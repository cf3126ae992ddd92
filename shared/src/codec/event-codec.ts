import type { Topic, TopicEvents } from '../events/index.js';

/** Turns events into registry-framed bytes and back; the schema registry stays hidden behind it. */
export interface EventCodec {
  /** Throws SchemaValidationError naming every offending field path. */
  validate<T extends Topic>(topic: T, value: TopicEvents[T]): void;
  /** Validates, then encodes in the Confluent wire format (magic byte, schema id, Avro body). */
  encode<T extends Topic>(topic: T, value: TopicEvents[T]): Promise<Buffer>;
  /**
   * Decodes with the writer's schema resolved into this topic's schema, so values written by an
   * older or newer compatible producer come out in the shape of `TopicEvents[T]`. Throws
   * UndecodableEventError (permanent) for bytes it can never read and TransientError when the
   * registry cannot be reached.
   */
  decode<T extends Topic>(topic: T, bytes: Buffer): Promise<TopicEvents[T]>;
}
