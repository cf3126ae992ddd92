import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { transaction } from '../db/index.js';
import { newEventId } from '../outbox/index.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { recordedNow, recordProcessed } from './inbox.js';

describe('inbox', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(() => db.drop());

  const record = (consumer: string, eventIds: string[]) =>
    transaction(db.pool, async (_tx, opened) => recordedNow(opened), {
      opening: recordProcessed(consumer, eventIds),
    });

  it('returns only the events recorded now, once each', async () => {
    const [seen, fresh, other] = [newEventId(), newEventId(), newEventId()];
    await record('payment-service', [seen]);
    const recorded = await record('payment-service', [fresh, seen, fresh, other]);
    assert.deepEqual([...recorded].sort(), [fresh, other].sort());
    // Another consumer has an inbox of its own.
    assert.deepEqual([...(await record('order-service', [seen]))], [seen]);
  });

  it('answers in lowercase for an id sent in capitals', async () => {
    const id = newEventId();
    assert.deepEqual([...(await record('payment-service', [id.toUpperCase()]))], [id]);
    assert.equal((await record('payment-service', [id])).size, 0);
  });

  it('lets two transactions record one batch at once, in opposite orders: both commit, each id once', async () => {
    const ids = Array.from({ length: 200 }, newEventId);
    const results = await Promise.all([
      record('inventory-service', ids),
      record('inventory-service', [...ids].reverse()),
    ]);
    const all = results.flatMap((set) => [...set]);
    assert.equal(all.length, 200);
    assert.equal(new Set(all).size, 200);
  });
});
