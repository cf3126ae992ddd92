import avro from 'avsc';
import { SchemaValidationError } from '../errors/index.js';
import type { AvroRecordSchema, Topic } from '../events/index.js';

/** The avsc type of each topic's schema, parsed once. */
export function avroTypes(schemas: ReadonlyMap<Topic, AvroRecordSchema>): Map<Topic, avro.Type> {
  return new Map(
    [...schemas].map(([topic, schema]) => [
      topic,
      avro.Type.forSchema(schema as Parameters<typeof avro.Type.forSchema>[0]),
    ]),
  );
}

/** Throws SchemaValidationError listing every field of `value` that `type` rejects. */
export function validateEvent(topic: Topic, type: avro.Type, value: unknown): void {
  const problems: string[] = [];
  type.isValid(value, {
    // Undeclared fields would be dropped silently on encode: usually a typo of a real field.
    noUndeclaredFields: true,
    errorHook: (path, actual, expected) => {
      if (expected.typeName === 'record' && isObject(actual)) {
        // A record's own fields are reported on their paths; what reaches the record is extras.
        const declared = new Set((expected as avro.types.RecordType).fields.map((f) => f.name));
        for (const key of Object.keys(actual).filter((k) => !declared.has(k))) {
          problems.push(`${[...path, key].join('.')}: not in the schema`);
        }
        return;
      }
      problems.push(
        `${path.join('.') || '(event)'}: expected ${typeName(expected)}, got ${show(actual)}`,
      );
    },
  });
  if (problems.length > 0) throw new SchemaValidationError(topic, problems);
}

function typeName(type: avro.Type): string {
  return type.name?.split('.').pop() ?? type.typeName;
}

/** Enough of a value to fix the bug, without echoing strings (tokens, personal data). */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return `${value}`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
