import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { sampleEvents } from '../events/fixtures.js';
import { loadSchemas, TOPICS, topicSubject } from '../events/index.js';
import { stackSettings } from '../testing/index.js';
import { compatibilityApi } from './compatibility.js';
import { createAvroCodec } from './index.js';
import { defaultRegistrationRetry, registerSchemas } from './register-schemas.js';
import { RegistryRejection } from './registry-errors.js';

const registryUrl = stackSettings().SCHEMA_REGISTRY_URL;
const freshPrefix = () => `register${randomBytes(4).toString('hex')}.`;
const contentType = 'application/vnd.schemaregistry.v1+json';

async function registry(path: string, init: { method: string; body: unknown } | undefined) {
  const response = await fetch(`${registryUrl}${path}`, {
    method: init?.method ?? 'GET',
    headers: { 'Content-Type': contentType },
    body: init && JSON.stringify(init.body),
  });
  assert.ok(response.ok, `${init?.method ?? 'GET'} ${path}: ${response.status}`);
  return response.json() as Promise<Record<string, unknown>>;
}

const compatibilityOf = async (subject: string) =>
  (await registry(`/config/${subject}`, undefined)).compatibilityLevel;

const setCompatibility = (subject: string, compatibility: string) =>
  registry(`/config/${subject}`, { method: 'PUT', body: { compatibility } });

/** Registers a schema the way a plain client would: no compatibility level of its own. */
const registerBare = (subject: string, schema: unknown) =>
  registry(`/subjects/${subject}/versions`, {
    method: 'POST',
    body: { schema: JSON.stringify(schema) },
  });

/** The schema id in a Confluent wire-format value. */
const schemaIdOf = (bytes: Buffer) => bytes.readInt32BE(1);

describe('schema registration', () => {
  it('lets eight processes register the same new subjects at once: same ids, all BACKWARD', async () => {
    const topicPrefix = freshPrefix();
    const codecs = await Promise.all(
      Array.from({ length: 8 }, () => createAvroCodec({ registryUrl, topicPrefix })),
    );
    const again = await createAvroCodec({ registryUrl, topicPrefix });
    for (const topic of TOPICS) {
      const subject = topicSubject(topic, topicPrefix);
      const latest = await registry(`/subjects/${subject}/versions/latest`, undefined);
      for (const codec of [...codecs, again]) {
        const id = schemaIdOf(await codec.encode(topic, sampleEvents[topic]));
        assert.equal(id, latest.id, `${subject}: the id every codec encodes with`);
      }
      assert.equal(latest.version, 1, `${subject}: one version, however many registered it`);
      assert.equal(await compatibilityOf(subject), 'BACKWARD', subject);
    }
  });

  it('sets BACKWARD on a subject found with no level of its own or with NONE', async () => {
    const topicPrefix = freshPrefix();
    const schemas = loadSchemas();
    const bare = topicSubject('order.created', topicPrefix);
    const none = topicSubject('payment.failed', topicPrefix);
    await registerBare(bare, schemas.get('order.created'));
    await registerBare(none, schemas.get('payment.failed'));
    await setCompatibility(none, 'NONE');
    await createAvroCodec({
      registryUrl,
      topicPrefix,
      topics: ['order.created', 'payment.failed'],
    });
    assert.equal(await compatibilityOf(bare), 'BACKWARD');
    assert.equal(await compatibilityOf(none), 'BACKWARD');
  });

  it('refuses a subject set to another level, naming it and the fix, without retrying', async () => {
    const topicPrefix = freshPrefix();
    const subject = topicSubject('order.completed', topicPrefix);
    await setCompatibility(subject, 'FULL');
    const started = Date.now();
    await assert.rejects(
      createAvroCodec({ registryUrl, topicPrefix, topics: ['order.completed'] }),
      (error: unknown) => {
        assert.ok(error instanceof RegistryRejection, `a rejection: ${error}`);
        assert.match(error.message, new RegExp(`${subject.replaceAll('.', '\\.')} is set to FULL`));
        assert.match(error.message, /"compatibility":"BACKWARD"/);
        return true;
      },
    );
    assert.ok(Date.now() - started < 2_000, 'refused at the first attempt');
    assert.equal(await compatibilityOf(subject), 'FULL', 'an explicit level is left as it is');
  });

  it('refuses a schema change that breaks BACKWARD compatibility, without retrying', async () => {
    const topicPrefix = freshPrefix();
    await createAvroCodec({ registryUrl, topicPrefix, topics: ['order.completed'] });
    const schemas = loadSchemas();
    const current = schemas.get('order.completed')!;
    // A new field without a default: readers on the new schema could not read old events.
    const breaking = { ...current, fields: [...current.fields, { name: 'tier', type: 'string' }] };
    schemas.set('order.completed', breaking);
    const registration = {
      registry: new SchemaRegistry({ host: registryUrl }),
      compatibility: compatibilityApi(registryUrl, 5_000),
      topicPrefix,
      retry: defaultRegistrationRetry,
    };
    const started = Date.now();
    await assert.rejects(registerSchemas(registration, schemas, ['order.completed']), (error) => {
      assert.ok(error instanceof RegistryRejection, `a rejection: ${error}`);
      assert.match(error.message, new RegExp(topicSubject('order.completed', topicPrefix)));
      assert.match(error.message, /give a new field a default/);
      return true;
    });
    assert.ok(Date.now() - started < 2_000, 'refused at the first attempt');
  });
});
