import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadSchemas, TOPICS, topicSubject } from './index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('generated event types', () => {
  it('match the schemas: regenerate with `npx tsx schemas/scripts/generate-types.ts`', () => {
    const regenerated = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'schemas/scripts/generate-types.ts', '--stdout'],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    const committed = readFileSync(new URL('./generated.ts', import.meta.url), 'utf8');
    assert.equal(committed, regenerated);
  });
});

describe('event schemas', () => {
  it('has one schema per topic, named after the topic', () => {
    const schemas = loadSchemas();
    assert.deepEqual([...schemas.keys()], TOPICS);
    const pascal = (topic: string) =>
      topic.replace(/(^|[.-])(\w)/g, (_, _sep: string, letter: string) => letter.toUpperCase());
    for (const [topic, schema] of schemas) {
      assert.equal(schema.name, pascal(topic), topic);
      assert.equal(schema.namespace, 'io.sagaplatform.events', topic);
    }
  });

  it('carries the common envelope in every event', () => {
    // product.upserted is keyed by product, every other event by its saga.
    for (const [topic, schema] of loadSchemas()) {
      const names = schema.fields.map((field) => field.name);
      const ids = topic === 'product.upserted' ? ['productId'] : ['orderId', 'causationId'];
      for (const name of ['eventId', 'occurredAt', ...ids]) {
        assert.ok(names.includes(name), `${topic} lacks ${name}`);
      }
    }
  });

  it('keeps money in integer minor units, never floating point', () => {
    for (const [topic, schema] of loadSchemas()) {
      const json = JSON.stringify(schema);
      assert.doesNotMatch(json, /"(float|double)"/, topic);
      for (const [, type] of json.matchAll(/"name":"\w*Minor","type":("\w+")/g)) {
        assert.equal(type, '"long"', topic);
      }
    }
  });

  it('registers values under the topic-name strategy, prefix included', () => {
    assert.equal(topicSubject('stock.reservation-failed'), 'stock.reservation-failed-value');
    assert.equal(topicSubject('order.created', 'demo.'), 'demo.order.created-value');
  });
});
