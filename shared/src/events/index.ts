import { readFileSync } from 'node:fs';
import { TOPICS, type Topic } from './generated.js';

export * from './generated.js';

/** The JSON of an Avro record schema as kept in `schemas/avro/<topic>.avsc`. */
export interface AvroRecordSchema {
  type: 'record';
  name: string;
  namespace?: string;
  doc?: string;
  fields: { name: string; type: unknown; doc?: string; default?: unknown }[];
}

/** Reads the schema of every topic from the `@saga/schemas` package, the single source of truth. */
export function loadSchemas(): Map<Topic, AvroRecordSchema> {
  const avroDir = new URL('avro/', import.meta.resolve('@saga/schemas/package.json'));
  return new Map(
    TOPICS.map((topic) => [
      topic,
      JSON.parse(readFileSync(new URL(`${topic}.avsc`, avroDir), 'utf8')) as AvroRecordSchema,
    ]),
  );
}

/**
 * The registry subject of a topic's values under the topic-name strategy: the actual topic name,
 * prefix included, so environments sharing a registry through a prefix never share subjects.
 */
export function topicSubject(topic: Topic, topicPrefix = ''): string {
  return `${topicPrefix}${topic}-value`;
}
