import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { classifyFailure } from '../consumer/classify.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { connectDatabase, type DatabaseHandle } from './database.js';

describe('database pool limits', () => {
  let database: TestDatabase;
  let limited: DatabaseHandle;
  before(async () => {
    database = await createTestDatabase();
    limited = connectDatabase({
      url: database.url,
      maxConnections: 1,
      acquireTimeoutMs: 200,
      statementTimeoutMs: 300,
    });
  });
  after(async () => {
    await limited.close();
    await database.drop();
  });

  it('fails a caller that waits too long for a connection, as trouble that passes', async () => {
    const held = await limited.pool.connect();
    try {
      const started = performance.now();
      const error = await limited.pool.query('SELECT 1').catch((caught: unknown) => caught);
      assert.ok(error instanceof Error, 'no connection was free');
      assert.ok(performance.now() - started < 2_000);
      assert.equal(classifyFailure(error), 'transient');
    } finally {
      held.release();
    }
  });

  it('cancels a statement over its timeout, as trouble that passes', async () => {
    const error = await limited.pool.query('SELECT pg_sleep(3)').catch((caught: unknown) => caught);
    assert.equal((error as { code?: string }).code, '57014');
    assert.equal(classifyFailure(error), 'transient');
    assert.deepEqual((await limited.pool.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
  });
});
