import { type SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import pRetry, { AbortError } from 'p-retry';
import { TransientError } from '../errors/index.js';
import { type AvroRecordSchema, type Topic, topicSubject } from '../events/index.js';
import type { BackoffPolicy } from '../timing/index.js';
import type { CompatibilityApi } from './compatibility.js';
import { RegistryRejection, registryStatus } from './registry-errors.js';

/**
 * Backoff of the registration at start, while the registry may still be starting. Default: 500 ms
 * doubling up to 10 s, about a minute in all.
 */
export interface RegistrationRetry extends BackoffPolicy {
  /** Attempts in all, the first included. Default 10. */
  maximumAttempts: number;
}

export const defaultRegistrationRetry: RegistrationRetry = {
  maximumAttempts: 10,
  initialInterval: 500,
  backoffCoefficient: 2,
  maximumInterval: 10_000,
};

export interface Registration {
  /** Registers schemas and reads them back by id (the client caches what it registered). */
  registry: SchemaRegistry;
  /** Reads and sets subjects' compatibility levels. */
  compatibility: CompatibilityApi;
  /** `KAFKA_TOPIC_PREFIX`: subjects follow the actual topic names. Default ''. */
  topicPrefix?: string;
  retry: RegistrationRetry;
}

/**
 * Registers each topic's schema under `<prefix><topic>-value` and returns the ids. Safe when any
 * number of processes register the same new subjects at once: each makes the subject BACKWARD
 * first (idempotently), then registers, which returns the existing id for a known schema.
 * A subject explicitly set to another level, or a schema it finds incompatible, is refused at once
 * (retrying cannot help) with what to do about it.
 */
export async function registerSchemas(
  registration: Registration,
  schemas: ReadonlyMap<Topic, AvroRecordSchema>,
  topics: readonly Topic[],
): Promise<Map<Topic, number>> {
  const ids = await Promise.all(
    topics.map((topic) => {
      const schema = schemas.get(topic);
      if (!schema) throw new Error(`No schema for topic ${topic} in @saga/schemas`);
      return registerOne(registration, topicSubject(topic, registration.topicPrefix), schema);
    }),
  );
  return new Map(topics.map((topic, i) => [topic, ids[i]!]));
}

async function registerOne(
  { registry, compatibility, retry }: Registration,
  subject: string,
  schema: AvroRecordSchema,
): Promise<number> {
  const attempt = async () => {
    try {
      await compatibility.ensureBackward(subject);
      const { id } = await registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
        // The subject is BACKWARD by now: the client checks that, and sets nothing itself.
        { subject },
      );
      return id;
    } catch (error) {
      if (error instanceof RegistryRejection) throw new AbortError(error);
      if (registryStatus(error) === 409 || registryStatus(error) === 422) {
        throw new AbortError(incompatible(subject, error));
      }
      throw error;
    }
  };
  try {
    return await pRetry(attempt, {
      retries: retry.maximumAttempts - 1,
      minTimeout: retry.initialInterval,
      factor: retry.backoffCoefficient,
      maxTimeout: retry.maximumInterval,
    });
  } catch (error) {
    if (error instanceof RegistryRejection) throw error;
    throw new TransientError(
      `Could not register the schema of ${subject} in ${retry.maximumAttempts} attempts`,
      { cause: error },
    );
  }
}

function incompatible(subject: string, error: unknown): RegistryRejection {
  const reason = error instanceof Error ? error.message : String(error);
  return new RegistryRejection(
    `Registry rejected the schema of ${subject}: ${reason}. The schema in @saga/schemas must ` +
      "be readable by its readers: give a new field a default, don't remove or retype one; " +
      'a development registry can start afresh with `npm run stack -- reset`.',
    { cause: error },
  );
}
