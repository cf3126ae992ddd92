import { randomBytes } from 'node:crypto';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { EventCodec } from '../codec/index.js';
import { DLQ_HEADERS } from '../consumer/index.js';
import type { Topic, TopicEvents } from '../events/index.js';
import { eventKey } from '../outbox/index.js';
import { type RunningService, type ServiceDefinition, startService } from '../service/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { type ConsumedMessage, deleteTopicsWithPrefix, readMessages } from './kafka.js';
import { until } from './until.js';

export interface ServiceUnderTestOptions {
  /**
   * Builds the service from the environment the kit prepared: `process.env` with the service's
   * own database (`DATABASE_URL`) and topic prefix (`KAFKA_TOPIC_PREFIX`), two partitions per
   * topic, silent logs, and `env` on top.
   */
  define(env: NodeJS.ProcessEnv): ServiceDefinition;
  env?: Record<string, string>;
  /** Instances sharing the database and consumer group. Default 1. */
  instances?: number;
}

/** Where a published message landed. */
export interface Delivery {
  topic: string;
  partition: number;
  offset: string;
}

/** A service started in-process against the real stack, alone on its database and topics. */
export interface ServiceUnderTest {
  name: string;
  /** Its topic prefix: the topic of `event` is `${prefix}${event}`. */
  prefix: string;
  /** The first instance. */
  service: RunningService;
  services: RunningService[];
  url: string;
  database: TestDatabase;
  kafka: Kafka;
  codec: EventCodec;
  /** Encodes `value` with the service's codec and produces it keyed and headed like the relay. */
  publish<T extends Topic>(topic: T, value: TopicEvents[T]): Promise<Delivery>;
  /** Produces raw bytes to the event topic `topic` (prefixed), e.g. a poison event. */
  publishBytes(topic: Topic, key: string, value: Buffer): Promise<Delivery>;
  /** Resolves once the service has committed the event with this id (its inbox row). */
  processed(eventId: string, timeoutMs?: number): Promise<void>;
  /**
   * Publishes the event and waits until it is processed; fails as soon as it is dead-lettered
   * instead, with the reason.
   */
  apply<T extends Topic>(topic: T, value: TopicEvents[T]): Promise<void>;
  /**
   * Resolves once the consumer group has committed past `delivery`: it was handled, even when
   * handling it wrote nothing (a duplicate).
   */
  consumedPast(delivery: Delivery): Promise<void>;
  /** The decoded outbox events of `topic` (for `key` if given), oldest first. */
  outbox<T extends Topic>(topic: T, key?: string): Promise<TopicEvents[T][]>;
  /** The letters of `<name>.dlq` read so far, once `enough` holds of them. */
  deadLetters(
    enough: (received: readonly ConsumedMessage[]) => boolean,
  ): Promise<ConsumedMessage[]>;
  /** Stops the instances, drops the database and deletes the prefixed topics. */
  stop(): Promise<void>;
}

/** Whether `letter` is the dead letter of the message `delivery` produced. */
export const isDeadLetterOf =
  (delivery: Delivery) =>
  ({ headers }: ConsumedMessage): boolean =>
    headers[DLQ_HEADERS.originalTopic] === delivery.topic &&
    headers[DLQ_HEADERS.originalPartition] === String(delivery.partition) &&
    headers[DLQ_HEADERS.originalOffset] === delivery.offset;

export async function startServiceUnderTest(
  options: ServiceUnderTestOptions,
): Promise<ServiceUnderTest> {
  const prefix = `t${randomBytes(4).toString('hex')}.`;
  // Platform tables only: the service applies its own migrations when it starts.
  const database = await createTestDatabase();
  const env = {
    ...process.env,
    TOPIC_PARTITIONS: '2',
    LOG_LEVEL: 'silent',
    ...options.env,
    KAFKA_TOPIC_PREFIX: prefix,
    DATABASE_URL: database.url,
  };
  const services: RunningService[] = [];
  let producer: Producer | undefined;
  let deadLetterReader: Consumer | undefined;
  const letters: ConsumedMessage[] = [];
  let first: RunningService | undefined;
  const stop = async () => {
    await producer?.disconnect();
    await deadLetterReader?.disconnect();
    await Promise.all(services.map((service) => service.stop()));
    await database.drop();
    if (!first) return;
    const admin = first.context.kafka.admin();
    await admin.connect();
    await deleteTopicsWithPrefix(admin, prefix);
    await admin.disconnect();
  };
  try {
    for (let i = 0; i < (options.instances ?? 1); i++) {
      services.push(await startService({ ...options.define(env), port: 0 }));
    }
    first = services[0]!;
    producer = first.context.kafka.producer();
    await producer.connect();
    deadLetterReader = await readMessages(
      first.context.kafka,
      [`${prefix}${first.context.name}.dlq`],
      (letter) => letters.push(letter),
    );
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  const { name, kafka, codec } = first.context;
  const send = producer;

  async function produce(
    topic: string,
    key: string,
    value: Buffer,
    headers: Record<string, string> = {},
  ): Promise<Delivery> {
    const [sent] = await send.send({ topic, messages: [{ key, value, headers }] });
    return { topic, partition: sent!.partition, offset: sent!.baseOffset! };
  }

  async function isProcessed(eventId: string) {
    const { rowCount } = await database.pool.query(
      'SELECT 1 FROM processed_events WHERE event_id = $1',
      [eventId],
    );
    return rowCount === 1;
  }

  async function publish<T extends Topic>(topic: T, value: TopicEvents[T]) {
    return produce(prefix + topic, eventKey(value), await codec.encode(topic, value), {
      'event-type': topic,
      'event-id': value.eventId,
    });
  }

  return {
    name,
    prefix,
    service: first,
    services,
    url: first.url,
    database,
    kafka,
    codec,
    publish,
    publishBytes: (topic, key, value) => produce(prefix + topic, key, value),
    processed: (eventId, timeoutMs) =>
      until(() => isProcessed(eventId), `event ${eventId} processed`, timeoutMs),
    async apply(topic, value) {
      const isItsLetter = isDeadLetterOf(await publish(topic, value));
      await until(async () => {
        const letter = letters.find(isItsLetter);
        if (letter) {
          throw new Error(
            `${topic} event ${value.eventId} was dead-lettered: ${letter.headers[DLQ_HEADERS.error]}`,
          );
        }
        return isProcessed(value.eventId);
      }, `event ${value.eventId} processed`);
    },
    async consumedPast({ topic, partition, offset }) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await until(async () => {
          const [committed] = await admin.fetchOffsets({
            groupId: `${prefix}${name}-service`,
            topics: [topic],
          });
          const at = committed?.partitions.find((entry) => entry.partition === partition);
          return at !== undefined && BigInt(at.offset) > BigInt(offset);
        }, `${topic}/${partition}@${offset} consumed`);
      } finally {
        await admin.disconnect();
      }
    },
    async outbox<T extends Topic>(topic: T, key?: string) {
      const { rows } = await database.pool.query<{ payload: Buffer }>(
        'SELECT payload FROM outbox WHERE topic = $1 AND ($2::text IS NULL OR key = $2) ORDER BY id',
        [topic, key ?? null],
      );
      return Promise.all(rows.map((row) => codec.decode(topic, row.payload)));
    },
    async deadLetters(enough) {
      await until(async () => enough(letters), 'dead letters');
      return [...letters];
    },
    stop,
  };
}
