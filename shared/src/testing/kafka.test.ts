import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Admin } from 'kafkajs';
import { createAvroCodec } from '../codec/index.js';
import { createKafkaClient } from '../kafka/index.js';
import { createLogger } from '../logger/index.js';
import { deleteTopicsWithPrefix } from './kafka.js';
import { stackSettings } from './stack.js';

const settings = stackSettings();

/** Every subject the registry holds, soft-deleted ones too. */
async function subjects(): Promise<string[]> {
  const response = await fetch(`${settings.SCHEMA_REGISTRY_URL}/subjects?deleted=true`);
  assert.ok(response.ok, `GET /subjects: ${response.status}`);
  return (await response.json()) as string[];
}

describe('deleteTopicsWithPrefix', () => {
  let admin: Admin;

  before(async () => {
    const kafka = createKafkaClient({
      clientId: 'kit-test',
      brokers: settings.KAFKA_BROKERS,
      logger: createLogger({ service: 'kit-test', level: 'silent' }),
    });
    admin = kafka.admin();
    await admin.connect();
  });

  after(() => admin?.disconnect());

  it("deletes the prefix's topics and, for good, its schema subjects", async () => {
    const prefix = `kit${randomBytes(4).toString('hex')}.`;
    const ours = (names: string[]) => names.filter((name) => name.startsWith(prefix));
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: `${prefix}order.created` }],
    });
    // Registers the subject of every event topic under the prefix.
    await createAvroCodec({ registryUrl: settings.SCHEMA_REGISTRY_URL, topicPrefix: prefix });
    assert.notDeepEqual(ours(await subjects()), [], 'the subjects to delete were registered');

    await deleteTopicsWithPrefix(admin, prefix);

    assert.deepEqual(ours(await admin.listTopics()), []);
    assert.deepEqual(ours(await subjects()), []);
  });
});
