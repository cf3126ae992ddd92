import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { statementName } from './prepared-statements.js';

describe('prepared statements', () => {
  let database: TestDatabase;
  let client: pg.PoolClient;
  before(async () => {
    database = await createTestDatabase();
    client = await database.pool.connect();
  });
  after(async () => {
    client.release();
    await database.drop();
  });

  /** The statements this connection has prepared, by text. */
  const prepared = async () =>
    new Map(
      (
        await client.query<{ name: string; statement: string }>(
          'SELECT name, statement FROM pg_prepared_statements',
        )
      ).rows.map((row) => [row.statement, row.name]),
    );

  it('prepares a statement with parameters once it has run twice, then reuses it', async () => {
    const text = 'SELECT $1::int + 1 AS next';
    const answers = [];
    for (const value of [1, 2, 3]) {
      answers.push((await client.query<{ next: number }>(text, [value])).rows[0]?.next);
    }
    assert.deepEqual(answers, [2, 3, 4]);
    const name = (await prepared()).get(text);
    assert.match(name ?? '', /^stmt_\d+$/);
    assert.equal(statementName(text), name, 'one name per text, every time');
  });

  it('prepares what the ORM sends, which it sends unnamed', async () => {
    const db = drizzle(client);
    for (const value of ['a', 'b']) await db.execute(sql`SELECT ${value}::text AS orm_value`);
    const texts = [...(await prepared()).keys()];
    assert.ok(texts.some((text) => text.includes('orm_value')));
  });

  it('leaves statements without parameters unnamed, on the simple protocol', async () => {
    for (let i = 0; i < 3; i++) await client.query('SELECT 42 AS answer');
    assert.ok(![...(await prepared()).keys()].some((text) => text.includes('answer')));
  });

  it('gives two texts two names, and a text seen once none', () => {
    const first = 'SELECT $1::int AS first_text';
    const second = 'SELECT $1::int AS second_text';
    assert.equal(statementName('SELECT $1::int AS seen_once'), undefined);
    statementName(first);
    statementName(second);
    const names = [statementName(first), statementName(second)];
    assert.ok(names[0] && names[1] && names[0] !== names[1]);
  });
});
