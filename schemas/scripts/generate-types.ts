/**
 * Writes shared/src/events/generated.ts from avro/*.avsc so the TypeScript event types can never
 * drift from the schemas (a test in shared/src/events re-runs this with `--stdout` and compares).
 *
 *   npx tsx schemas/scripts/generate-types.ts           # write the file
 *   npx tsx schemas/scripts/generate-types.ts --stdout  # print it instead
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const avroDir = new URL('../avro/', import.meta.url);
const outFile = new URL('../../shared/src/events/generated.ts', import.meta.url);
const lineWidth = 100; // biome's, so the output needs no formatting pass

type AvroType = string | AvroType[] | { type: string; [key: string]: unknown };
interface AvroField {
  name: string;
  type: AvroType;
  doc?: string;
  'x-symbols'?: string[];
}
interface AvroRecord {
  type: 'record';
  name: string;
  doc?: string;
  fields: AvroField[];
}

const primitives: Record<string, string> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number', // avsc decodes longs as numbers; money in minor units stays below 2^53
  float: 'number',
  double: 'number',
  string: 'string',
  bytes: 'Buffer',
};

function jsDoc(doc: string | undefined, indent: string): string {
  if (!doc) return '';
  const single = `${indent}/** ${doc} */`;
  if (single.length <= lineWidth) return `${single}\n`;
  const lines: string[] = [];
  let line = '';
  for (const word of doc.split(/\s+/)) {
    if (line && `${indent} * ${line} ${word}`.length > lineWidth) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`).join('\n')}\n${indent} */\n`;
}

/** Collects one interface per named record; the same name must mean the same shape everywhere. */
class Generator {
  readonly interfaces = new Map<string, { source: string; code: string }>();
  source = ''; // the file being read, for error messages

  tsType(type: AvroType): string {
    if (typeof type === 'string') {
      const primitive = primitives[type];
      if (primitive) return primitive;
      return type.split('.').pop()!; // a reference to a named type defined earlier in the file
    }
    if (Array.isArray(type)) {
      const branches = type.map((branch) => this.tsType(branch)).filter((ts) => ts !== 'null');
      return branches.length < type.length
        ? [...branches, 'null'].join(' | ')
        : branches.join(' | ');
    }
    if (type.type === 'array') {
      const items = this.tsType(type.items as AvroType);
      return items.includes(' ') ? `(${items})[]` : `${items}[]`;
    }
    if (type.type === 'record') return this.record(type as unknown as AvroRecord);
    if (primitives[type.type]) return primitives[type.type]!; // incl. logical types on primitives
    throw new Error(`${this.source}: unsupported Avro type ${JSON.stringify(type)}`);
  }

  record(record: AvroRecord): string {
    const name = record.name.split('.').pop()!;
    const fields = record.fields.map((field) => {
      const symbols = field['x-symbols']; // enum-like strings: a literal union, open on the wire
      const type = symbols ? symbols.map((s) => `'${s}'`).join(' | ') : this.tsType(field.type);
      return `${jsDoc(field.doc, '  ')}  ${field.name}: ${type};\n`;
    });
    const code = `${jsDoc(record.doc, '')}export interface ${name} {\n${fields.join('')}}\n`;
    const seen = this.interfaces.get(name);
    if (seen && seen.code !== code) {
      throw new Error(`record ${name} differs between ${seen.source} and ${this.source}`);
    }
    if (!seen) this.interfaces.set(name, { source: this.source, code });
    return name;
  }
}

/** The generated module for `schemas`, a map from topic to its parsed .avsc. */
function generateTypes(schemas: ReadonlyMap<string, AvroRecord>): string {
  const generator = new Generator();
  const topics: [string, string][] = [];
  for (const [topic, schema] of [...schemas].sort(([a], [b]) => a.localeCompare(b))) {
    generator.source = `${topic}.avsc`;
    topics.push([topic, generator.record(schema)]);
  }
  return [
    '// Generated from schemas/avro/*.avsc by schemas/scripts/generate-types.ts. Do not edit.',
    '// Regenerate with: npx tsx schemas/scripts/generate-types.ts\n',
    [...generator.interfaces.values()].map((entry) => entry.code).join('\n'),
    '/** The event type each topic carries. */',
    'export interface TopicEvents {',
    ...topics.map(([topic, name]) => `  '${topic}': ${name};`),
    '}\n',
    '/** An event topic, named after the event type it carries. */',
    'export type Topic = keyof TopicEvents;\n',
    '/** Every event topic. */',
    'export const TOPICS: readonly Topic[] = [',
    ...topics.map(([topic]) => `  '${topic}',`),
    '];\n',
  ].join('\n');
}

function readSchemas(): Map<string, AvroRecord> {
  const files = readdirSync(avroDir).filter((file) => file.endsWith('.avsc'));
  return new Map(
    files.map((file) => [
      file.slice(0, -'.avsc'.length),
      JSON.parse(readFileSync(new URL(file, avroDir), 'utf8')) as AvroRecord,
    ]),
  );
}

const code = generateTypes(readSchemas());
if (process.argv.includes('--stdout')) process.stdout.write(code);
else writeFileSync(outFile, code);
