import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newEventId } from '../outbox/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { type OutboxTransactions, watchOutboxTransactions } from './outbox-transactions.js';

const INSERT_OUTBOX = `INSERT INTO outbox (event_id, topic, key, payload, headers)
  VALUES ($1, 'delivery.started', 'order-1', '\\x00', '{}')`;

describe('outbox transactions watch', () => {
  let database: TestDatabase;
  let watch: OutboxTransactions;

  before(async () => {
    database = await createTestDatabase();
    watch = await watchOutboxTransactions(database.pool);
  });

  after(() => database?.drop());

  it('reports an outbox row written in a transaction that changed nothing else', async () => {
    const alone = newEventId();
    await database.pool.query(INSERT_OUTBOX, [alone]);
    assert.ok((await watch.writtenAlone()).includes(alone));
  });

  it('accepts an outbox row written with the inbox row of its cause', async () => {
    const caused = newEventId();
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        "INSERT INTO processed_events (consumer, event_id) VALUES ('example-service', $1)",
        [newEventId()],
      );
      await client.query(INSERT_OUTBOX, [caused]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    assert.ok((await watch.outboxWrites()).includes(caused));
    assert.ok(!(await watch.writtenAlone()).includes(caused));
  });
});
