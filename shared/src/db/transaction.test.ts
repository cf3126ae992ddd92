import assert from 'node:assert/strict';
import type { Writable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { type Statement, transaction } from './transaction.js';

const note = (text: string): Statement => ({
  text: 'INSERT INTO notes (text) VALUES ($1) RETURNING id',
  values: [text],
});

describe('transaction', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
    await database.pool.query('CREATE TABLE notes (id serial PRIMARY KEY, text text NOT NULL)');
  });
  beforeEach(() => database.pool.query('TRUNCATE notes'));
  after(() => database.drop());

  const notes = async () =>
    (await database.pool.query<{ text: string }>('SELECT text FROM notes ORDER BY id')).rows.map(
      (row) => row.text,
    );

  it('commits the opening statement, the work and the closing statements together', async () => {
    const value = await transaction(
      database.pool,
      async (tx, opened) => {
        await tx.execute(sql`INSERT INTO notes (text) VALUES ('work')`);
        return `opened row ${opened?.rows[0].id}`;
      },
      {
        opening: note('opening'),
        closing: (value) => [note(`closing after ${value}`), note('closing last')],
      },
    );
    assert.equal(value, 'opened row 1');
    assert.deepEqual(await notes(), [
      'opening',
      'work',
      'closing after opened row 1',
      'closing last',
    ]);
  });

  it('keeps nothing when a closing statement fails, and fails with its error', async () => {
    await assert.rejects(
      transaction(
        database.pool,
        (tx) => tx.execute(sql`INSERT INTO notes (text) VALUES ('work')`),
        {
          opening: note('opening'),
          closing: () => [
            note('closing first'),
            { text: 'INSERT INTO nowhere VALUES (1)', values: [] },
            note('closing after the failure'),
          ],
        },
      ),
      /relation "nowhere" does not exist/,
    );
    assert.deepEqual(await notes(), []);
  });

  it('keeps nothing when the work fails, and leaves its connection usable', async () => {
    const pool = database.pool;
    const failing = () =>
      transaction(
        pool,
        async (tx) => {
          await tx.execute(sql`INSERT INTO notes (text) VALUES ('work')`);
          throw new Error('business rule broken');
        },
        { opening: note('opening') },
      );
    // More failures than the pool has connections: each must have been rolled back and returned.
    for (let attempt = 0; attempt < 25; attempt++) {
      await assert.rejects(failing(), /business rule broken/);
    }
    assert.deepEqual(await notes(), []);
    await transaction(pool, (tx) => tx.execute(sql`INSERT INTO notes (text) VALUES ('after')`));
    assert.deepEqual(await notes(), ['after']);
  });

  it('keeps nothing when the opening statement fails', async () => {
    const worked: string[] = [];
    await assert.rejects(
      transaction(database.pool, async () => worked.push('work'), {
        opening: { text: 'SELECT * FROM nowhere', values: [] },
      }),
      /relation "nowhere" does not exist/,
    );
    assert.deepEqual(worked, []);
    assert.deepEqual(await notes(), []);
  });

  it('sends BEGIN with the first statement of a work without an opening one', async () => {
    // The socket writes of the transaction's connection: BEGIN with the INSERT, then COMMIT.
    let writes = 0;
    let socket: Writable | undefined;
    database.pool.once('acquire', (client) => {
      socket = (client as unknown as { connection: { stream: Writable } }).connection.stream;
      const { _write, _writev } = socket;
      socket._write = (...args) => {
        writes++;
        _write.apply(socket, args);
      };
      socket._writev = (...args) => {
        writes++;
        _writev!.apply(socket, args);
      };
    });
    await transaction(database.pool, (tx) =>
      tx.execute(sql`INSERT INTO notes (text) VALUES ('first')`),
    );
    delete (socket as Partial<Writable>)._write;
    delete (socket as Partial<Writable>)._writev;
    assert.equal(writes, 2);
    assert.deepEqual(await notes(), ['first']);
  });

  it('keeps nothing when a work without an opening statement fails', async () => {
    await assert.rejects(
      transaction(database.pool, async (tx) => {
        await tx.execute(sql`INSERT INTO notes (text) VALUES ('work')`);
        throw new Error('business rule broken');
      }),
      /business rule broken/,
    );
    assert.deepEqual(await notes(), []);
  });
});
