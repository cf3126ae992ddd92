import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { EventCodec } from '../codec/index.js';
import { UndecodableEventError } from '../errors/index.js';
import type { Topic, TopicEvents } from '../events/index.js';
import type { Handlers } from './handler.js';

/** A delivery decoded and routed to the handler of its event's topic. */
export interface Decoded {
  /** The Kafka topic it came on: its event's, or the service's retry topic. */
  topic: string;
  headers: Record<string, string>;
  eventTopic: Topic;
  event: TopicEvents[Topic];
  /** Lower-cased: the inbox answers in PostgreSQL's canonical form of a uuid. */
  eventId: string;
  orderId: string | undefined;
}

export type Decode = (
  topic: string,
  message: KafkaMessage,
  headers: Record<string, string>,
) => Promise<Decoded>;

export function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) result[name] = String(value);
  }
  return result;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Decodes deliveries; throws a permanent error for anything that can never be applied. */
export function createDecode(
  codec: EventCodec,
  handlers: Handlers,
  { prefix, retryTopic }: { prefix: string; retryTopic: string },
): Decode {
  /** The event's own topic: a re-delivery on the retry topic names it in `event-type`. */
  function eventTopicOf(topic: string, headers: Record<string, string>): Topic {
    const eventTopic = topic === retryTopic ? headers['event-type'] : topic.slice(prefix.length);
    if (!eventTopic || !(eventTopic in handlers)) {
      throw new UndecodableEventError(`No handler for event type "${eventTopic}" on ${topic}`);
    }
    return eventTopic as Topic;
  }

  return async (topic, message, headers) => {
    const eventTopic = eventTopicOf(topic, headers);
    if (!message.value) throw new UndecodableEventError(`Empty value on ${topic}`);
    const event = await codec.decode(eventTopic, message.value);
    if (!UUID.test(event.eventId)) {
      throw new UndecodableEventError(`eventId "${event.eventId}" is not a UUID`);
    }
    const eventId = event.eventId.toLowerCase();
    const orderId = 'orderId' in event ? event.orderId : undefined;
    return { topic, headers, eventTopic, event, eventId, orderId };
  };
}
