import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { sagaEvent } from '../events/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { sharedUnitsOfWork, type Transact, type UnitOfWork, unitsOfWork } from './unit-of-work.js';

describe('sharedUnitsOfWork', () => {
  let database: TestDatabase;
  let transact: Transact;
  before(async () => {
    database = await createTestDatabase();
    await database.pool.query('CREATE TABLE notes (text text PRIMARY KEY, txid bigint NOT NULL)');
    const encoder = { encode: async () => Buffer.from('payload') };
    transact = sharedUnitsOfWork(unitsOfWork(database.pool, encoder, () => {}));
  });
  beforeEach(() => database.pool.query('TRUNCATE notes, outbox'));
  after(() => database.drop());

  /** Notes `text` with the id of the transaction it ran in; the note is sent with the COMMIT. */
  const note = (text: string) => async (unit: UnitOfWork) => {
    const { rows } = await unit.tx.$client.query<{ txid: string }>('SELECT txid_current() AS txid');
    const txid = rows[0]!.txid;
    unit.writeAtCommit({
      text: 'INSERT INTO notes (text, txid) VALUES ($1, $2)',
      values: [text, txid],
    });
    return txid;
  };
  const notes = async () =>
    (await database.pool.query<{ text: string; txid: string }>('SELECT * FROM notes ORDER BY text'))
      .rows;

  it('commits works that arrive together in one transaction, each with its own result', async () => {
    const txids = await Promise.all(['a', 'b', 'c'].map((text) => transact(note(text))));
    assert.equal(new Set(txids).size, 1);
    assert.deepEqual(
      await notes(),
      ['a', 'b', 'c'].map((text) => ({ text, txid: txids[0] })),
    );
  });

  it('emits the events of each work with its own trace', async () => {
    const emitting = (traceparent: string) =>
      transact(
        (unit) =>
          unit.emit([{ topic: 'order.canceled', value: sagaEvent('order.canceled', traceparent) }]),
        { trace: { traceparent } },
      );
    await Promise.all([emitting('first'), emitting('second')]);
    const { rows } = await database.pool.query<{ key: string; headers: { traceparent: string } }>(
      'SELECT key, headers FROM outbox ORDER BY key',
    );
    assert.deepEqual(
      rows.map((row) => [row.key, row.headers.traceparent]),
      [
        ['first', 'first'],
        ['second', 'second'],
      ],
    );
  });

  it("runs the others alone when one work's write fails at the COMMIT, and fails only that one", async () => {
    await database.pool.query("INSERT INTO notes VALUES ('taken', 0)");
    const results = await Promise.allSettled(
      ['a', 'taken', 'b'].map((text) => transact(note(text))),
    );
    assert.equal(results[0]!.status, 'fulfilled');
    assert.equal(results[2]!.status, 'fulfilled');
    assert.equal(results[1]!.status, 'rejected');
    assert.match(String((results[1] as PromiseRejectedResult).reason), /duplicate key/);
    assert.deepEqual(
      (await notes()).map((row) => row.text),
      ['a', 'b', 'taken'],
    );
  });

  it('runs the others alone when one work throws, and fails that one with its own error', async () => {
    const failing = async (unit: UnitOfWork) => {
      await unit.tx.execute(sql`SELECT 1`);
      throw new Error('refused');
    };
    const results = await Promise.allSettled([transact(note('a')), transact(failing)]);
    assert.equal(results[0]!.status, 'fulfilled');
    assert.deepEqual((results[1] as PromiseRejectedResult).reason, new Error('refused'));
    assert.deepEqual(
      (await notes()).map((row) => row.text),
      ['a'],
    );
  });

  it('runs a work that arrives alone once, even when it fails', async () => {
    let runs = 0;
    await assert.rejects(
      transact(async () => {
        runs += 1;
        throw new Error('refused');
      }),
      /refused/,
    );
    assert.equal(runs, 1);
  });
});
