import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import { TransientError, UndecodableEventError } from '../errors/index.js';
import { sampleEvent, sampleEvents } from '../events/fixtures.js';
import { loadSchemas, TOPICS } from '../events/index.js';
import { stackSettings } from '../testing/index.js';
import { createAvroCodec } from './index.js';

const registryUrl = stackSettings().SCHEMA_REGISTRY_URL;
/** Subjects of this run's own, so no run depends on what an earlier one registered. */
const topicPrefix = `codec${randomBytes(4).toString('hex')}.`;
const unreachableUrl = 'http://127.0.0.1:1/apis/ccompat/v7';
const quickRetry = { maximumAttempts: 2, initialInterval: 10 };

/** A Confluent wire-format frame: magic byte 0, the schema id, the Avro body. */
function frame(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}

describe('avro codec against the schema registry', () => {
  it('round-trips an event of every topic, the reader fetching the schema by id', async () => {
    const writer = await createAvroCodec({ registryUrl, topicPrefix });
    const reader = await createAvroCodec({ registryUrl, topics: [] }); // knows no ids yet
    for (const topic of TOPICS) {
      const bytes = await writer.encode(topic, sampleEvents[topic]);
      assert.equal(bytes[0], 0, 'magic byte');
      assert.deepEqual(await reader.decode(topic, bytes), sampleEvents[topic], topic);
    }
  });

  it('reads a value written with an older schema, filling the new field with its default', async () => {
    const current = loadSchemas().get('payment.failed')!;
    const older = { ...current, fields: current.fields.filter((f) => f.name !== 'details') };
    const registry = new SchemaRegistry({ host: registryUrl });
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(older) },
      { subject: `${topicPrefix}payment.failed-older-value` },
    );
    const { details: _, ...event } = sampleEvent('payment.failed');
    const body = avro.Type.forSchema(older as never).toBuffer(event);
    const codec = await createAvroCodec({ registryUrl, topics: [] });
    assert.deepEqual(await codec.decode('payment.failed', frame(id, body)), {
      ...event,
      details: null,
    });
  });

  it('rejects garbage bytes as undecodable', async () => {
    const codec = await createAvroCodec({ registryUrl, topics: [] });
    for (const bytes of [Buffer.from('definitely not avro'), Buffer.alloc(0), Buffer.from([0])]) {
      await assert.rejects(codec.decode('order.created', bytes), UndecodableEventError);
    }
  });

  it('rejects a known schema id followed by a corrupt body as undecodable', async () => {
    const codec = await createAvroCodec({ registryUrl, topicPrefix, topics: ['order.created'] });
    const valid = await codec.encode('order.created', sampleEvents['order.created']);
    const truncated = valid.subarray(0, valid.length - 10);
    await assert.rejects(codec.decode('order.created', truncated), UndecodableEventError);
  });

  it('rejects an unknown schema id as undecodable', async () => {
    const codec = await createAvroCodec({ registryUrl, topics: [] });
    const bytes = frame(2_000_000_000, Buffer.from([2, 0x61]));
    await assert.rejects(codec.decode('order.created', bytes), (error: unknown) => {
      assert.ok(error instanceof UndecodableEventError);
      assert.match(error.message, /schema id 2000000000/);
      return true;
    });
  });

  it('rejects a value written for another topic as undecodable', async () => {
    const codec = await createAvroCodec({ registryUrl, topicPrefix, topics: ['payment.failed'] });
    const bytes = await codec.encode('payment.failed', sampleEvents['payment.failed']);
    await assert.rejects(codec.decode('order.created', bytes), UndecodableEventError);
  });

  it('reports an unreachable registry as transient, at start and when decoding', async () => {
    await assert.rejects(
      createAvroCodec({ registryUrl: unreachableUrl, registrationRetry: quickRetry }),
      TransientError,
    );
    const codec = await createAvroCodec({ registryUrl: unreachableUrl, topics: [] });
    const bytes = frame(1, Buffer.from([0]));
    await assert.rejects(codec.decode('order.created', bytes), TransientError);
  });

  it('abandons a registry request that is never answered, and reports it as transient', {
    timeout: 10_000,
  }, async (t) => {
    // Accepts connections and reads requests, but never answers one.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    t.after(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    await once(silent, 'listening');
    const { port } = silent.address() as { port: number };
    const silentUrl = `http://127.0.0.1:${port}/apis/ccompat/v7`;
    await assert.rejects(
      createAvroCodec({
        registryUrl: silentUrl,
        topics: ['order.created'],
        registrationRetry: quickRetry,
        requestTimeoutMs: 200,
      }),
      TransientError,
    );
    const codec = await createAvroCodec({
      registryUrl: silentUrl,
      topics: [],
      requestTimeoutMs: 200,
    });
    await assert.rejects(codec.decode('order.created', frame(1, Buffer.from([0]))), TransientError);
    assert.ok(sockets.length >= 3, 'each attempt reached the silent registry');
  });
});
