import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { runId, setting } from './settings.ts';

describe('postgres', () => {
  it('writes and reads a row', async () => {
    const client = new pg.Client({ connectionString: setting('POSTGRES_URL') });
    await client.connect();
    try {
      await client.query('CREATE TEMP TABLE probe (id text PRIMARY KEY, body jsonb NOT NULL)');
      await client.query('INSERT INTO probe VALUES ($1, $2)', [runId, { ok: true }]);
      const { rows } = await client.query('SELECT body FROM probe WHERE id = $1', [runId]);
      assert.deepEqual(rows, [{ body: { ok: true } }]);
    } finally {
      await client.end();
    }
  });
});

describe('redis', () => {
  it('writes and reads a key', async () => {
    const redis = new Redis(setting('REDIS_URL'));
    const key = `stack-test:${runId}`;
    try {
      await redis.set(key, 'value', 'EX', 60);
      assert.equal(await redis.get(key), 'value');
    } finally {
      await redis.del(key);
      redis.disconnect();
    }
  });
});
