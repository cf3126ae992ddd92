import { COMPATIBILITY, type SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import pRetry, { AbortError } from 'p-retry';
import { TransientError } from '../errors/index.js';
import { type AvroRecordSchema, type Topic, topicSubject } from '../events/index.js';
import { registryStatus } from './registry-errors.js';

/** Backoff of the registration at start, while the registry may still be starting. */
export interface RegistrationRetry {
  /** Attempts in all, the first included. Default 10. */
  maximumAttempts: number;
  /** Milliseconds before the first retry. Default 500. */
  initialInterval: number;
  /** Growth factor of the interval. Default 2. */
  backoffCoefficient: number;
  /** Cap of the interval in milliseconds. Default 10_000 (about a minute in all). */
  maximumInterval: number;
}

export const defaultRegistrationRetry: RegistrationRetry = {
  maximumAttempts: 10,
  initialInterval: 500,
  backoffCoefficient: 2,
  maximumInterval: 10_000,
};

/**
 * Registers each topic's schema under `<topic>-value` and returns the ids. Idempotent: the same
 * schema gets the same id again. A subject is set to BACKWARD on its first registration and must
 * stay so; an incompatible schema is rejected at once (retrying cannot help).
 */
export async function registerSchemas(
  registry: SchemaRegistry,
  schemas: ReadonlyMap<Topic, AvroRecordSchema>,
  topics: readonly Topic[],
  retry: RegistrationRetry,
): Promise<Map<Topic, number>> {
  const ids = await Promise.all(
    topics.map((topic) => {
      const schema = schemas.get(topic);
      if (!schema) throw new Error(`No schema for topic ${topic} in @saga/schemas`);
      return registerOne(registry, topic, schema, retry);
    }),
  );
  return new Map(topics.map((topic, i) => [topic, ids[i]!]));
}

async function registerOne(
  registry: SchemaRegistry,
  topic: Topic,
  schema: AvroRecordSchema,
  retry: RegistrationRetry,
): Promise<number> {
  const subject = topicSubject(topic);
  let rejection: Error | undefined;
  const attempt = async () => {
    try {
      const options = { subject, compatibility: COMPATIBILITY.BACKWARD };
      const { id } = await registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
        options,
      );
      return id;
    } catch (error) {
      if (!isRejection(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      rejection = new Error(`Registry rejected the schema of ${subject}: ${reason}`, {
        cause: error,
      });
      throw new AbortError(rejection);
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
    if (error === rejection) throw error;
    throw new TransientError(
      `Could not register the schema of ${subject} in ${retry.maximumAttempts} attempts`,
      { cause: error },
    );
  }
}

/** Conflicting or invalid schemas and a subject set to another compatibility level. */
function isRejection(error: unknown): boolean {
  const status = registryStatus(error);
  if (status === 409 || status === 422) return true;
  return error instanceof Error && error.name.startsWith('ConfluentSchemaRegistry');
}
