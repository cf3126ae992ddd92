import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type avro from 'avsc';
import { UndecodableEventError } from '../errors/index.js';
import { loadSchemas, TOPICS, type Topic, type TopicEvents } from '../events/index.js';
import { compatibilityApi } from './compatibility.js';
import type { EventCodec } from './event-codec.js';
import {
  defaultRegistrationRetry,
  type RegistrationRetry,
  registerSchemas,
} from './register-schemas.js';
import { lookupFailure } from './registry-errors.js';
import { avroTypes, validateEvent } from './validate.js';
import { readWireFormat } from './wire-format.js';

export interface AvroCodecOptions {
  /** Base URL of the Confluent-compatible API, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`. */
  registryUrl: string;
  /** Topics this codec encodes; their schemas are registered at creation. Default: all. */
  topics?: readonly Topic[];
  /** `KAFKA_TOPIC_PREFIX`: schemas are registered under `<prefix><topic>-value`. Default ''. */
  topicPrefix?: string;
  /** Backoff of that registration; see `defaultRegistrationRetry`. */
  registrationRetry?: Partial<RegistrationRetry>;
  /**
   * Milliseconds before a registry request is abandoned, to be retried like any transient
   * failure. Without one, a request the registry never answers would stall the service for good.
   * Default 10_000.
   */
  requestTimeoutMs?: number;
}

type RegistryMiddleware = NonNullable<
  ConstructorParameters<typeof SchemaRegistry>[0]['middlewares']
>[number];

/**
 * Gives every registry request mappersmith's `timeout`; a timed-out request fails like a network
 * error. (mappersmith's own TimeoutMiddleware does the same, but its ESM typings do not match the
 * CommonJS ones the registry client is typed against.)
 */
const requestTimeout =
  (ms: number): RegistryMiddleware =>
  () => ({
    prepareRequest: (next) => next().then((request) => request.enhance({ timeout: ms })),
  });

/**
 * An Avro codec backed by the schema registry. Registers the schemas of `options.topics` first
 * (retrying while the registry starts), so encoding never waits on the network; decoding reads
 * any topic, fetching unknown writer schemas by id once.
 */
export async function createAvroCodec(options: AvroCodecOptions): Promise<EventCodec> {
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const registry = new SchemaRegistry({
    host: options.registryUrl,
    middlewares: [requestTimeout(timeoutMs)],
  });
  const schemas = loadSchemas();
  const types = avroTypes(schemas);
  const registration = {
    registry,
    compatibility: compatibilityApi(options.registryUrl, timeoutMs),
    topicPrefix: options.topicPrefix,
    retry: { ...defaultRegistrationRetry, ...options.registrationRetry },
  };
  const ids = await registerSchemas(registration, schemas, options.topics ?? TOPICS);
  const resolvers = new Map<string, ReturnType<avro.Type['createResolver']>>();

  const typeOf = (topic: Topic): avro.Type => {
    const type = types.get(topic);
    if (!type) throw new TypeError(`Unknown event topic ${topic}`);
    return type;
  };

  const resolverFor = async (topic: Topic, schemaId: number) => {
    const key = `${topic}:${schemaId}`;
    const cached = resolvers.get(key);
    if (cached) return cached;
    const writer = await registry.getSchema(schemaId).catch((error: unknown) => {
      throw lookupFailure(error, `schema id ${schemaId} of a value on ${topic}`);
    });
    try {
      const resolver = typeOf(topic).createResolver(writer as unknown as avro.Type);
      resolvers.set(key, resolver);
      return resolver;
    } catch (error) {
      throw new UndecodableEventError(
        `${topic} cannot read values written with schema id ${schemaId}: ${message(error)}`,
        { cause: error },
      );
    }
  };

  return {
    validate(topic, value) {
      validateEvent(topic, typeOf(topic), value);
    },

    async encode(topic, value) {
      validateEvent(topic, typeOf(topic), value);
      const id = ids.get(topic);
      if (id === undefined) {
        throw new TypeError(`This codec does not encode ${topic}: list it in options.topics`);
      }
      return registry.encode(id, value);
    },

    async decode<T extends Topic>(topic: T, bytes: Buffer) {
      const { schemaId, body } = readWireFormat(topic, bytes);
      const resolver = await resolverFor(topic, schemaId);
      try {
        // Plain objects, not avsc record instances: consumers compare, spread and serialize them.
        return structuredClone(typeOf(topic).fromBuffer(body, resolver)) as TopicEvents[T];
      } catch (error) {
        throw new UndecodableEventError(
          `${topic} value with schema id ${schemaId} is corrupt: ${message(error)}`,
          { cause: error },
        );
      }
    },
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
