import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { restart } from '../src/stack.ts';
import { runId, setting } from './settings.ts';

describe('schema registry', () => {
  const host = setting('SCHEMA_REGISTRY_URL');
  const subject = `stack-test.registry.${runId}-value`;
  const name = `Probe_${runId.replaceAll('-', '_')}`;
  const v1 = {
    type: 'record',
    name,
    namespace: 'saga.stacktest',
    fields: [{ name: 'orderId', type: 'string' }],
  };
  let id: number;
  let encoded: Buffer;

  after(async () => {
    // Soft delete first: Confluent's API (and Apicurio's) only hard-deletes soft-deleted subjects.
    await fetch(`${host}/subjects/${subject}`, { method: 'DELETE' });
    await fetch(`${host}/subjects/${subject}?permanent=true`, { method: 'DELETE' });
  });

  it('registers an Avro schema and round-trips a record', async () => {
    const registry = new SchemaRegistry({ host });
    ({ id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(v1) },
      { subject },
    ));
    encoded = await registry.encode(id, { orderId: 'order-1' });
    assert.deepEqual({ ...(await registry.decode(encoded)) }, { orderId: 'order-1' });
  });

  it('rejects a change that breaks BACKWARD compatibility', async () => {
    const registry = new SchemaRegistry({ host });
    // A new field without a default: data written with v1 cannot be read with v2.
    const v2 = { ...v1, fields: [...v1.fields, { name: 'amount', type: 'long' }] };
    await assert.rejects(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v2) }, { subject }),
      (error: { status?: number }) => error.status === 409,
    );
    const v3 = { ...v1, fields: [...v1.fields, { name: 'amount', type: 'long', default: 0 }] };
    const added = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(v3) },
      { subject },
    );
    assert.notEqual(added.id, id);
  });

  it('keeps schema ids across a registry restart', async () => {
    await restart('registry');
    const fresh = new SchemaRegistry({ host }); // no cached schemas
    assert.deepEqual({ ...(await fresh.decode(encoded)) }, { orderId: 'order-1' });
    assert.equal(await fresh.getRegistryId(subject, 1), id);
  });
});
