import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ensureOwnedDatabase } from '../src/postgres.ts';
import { deletePlatformKeys } from '../src/redis.ts';
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

describe('a database owned by something else', () => {
  it('is kept while its owner stays, and replaced by an empty one for a new owner', async () => {
    const adminUrl = setting('POSTGRES_URL');
    const name = `saga_owned_${runId.replace('-', '_')}`;
    const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).href;
    const tablesIn = async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query('CREATE TABLE IF NOT EXISTS marker (id int)');
        const { rows } = await client.query('SELECT count(*)::int AS n FROM marker');
        await client.query('INSERT INTO marker VALUES (1)');
        return rows[0].n as number;
      } finally {
        await client.end();
      }
    };
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      assert.deepEqual(await ensureOwnedDatabase(adminUrl, name, 'cluster A'), { replaced: false });
      assert.equal(await tablesIn(), 0);
      assert.deepEqual(await ensureOwnedDatabase(adminUrl, name, 'cluster A'), { replaced: false });
      assert.equal(await tablesIn(), 1, 'the same owner keeps its data');
      assert.deepEqual(await ensureOwnedDatabase(adminUrl, name, 'cluster B'), { replaced: true });
      assert.equal(await tablesIn(), 0, 'a new owner starts empty');
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe('redis', () => {
  it("deletes the platform's keys and no other", async () => {
    const redis = new Redis(setting('REDIS_URL'));
    const ours = [`order:idempotency:${runId}`, `demo.order:idempotency:${runId}`];
    const theirs = `stack-test:order:${runId}`;
    try {
      for (const key of [...ours, theirs]) await redis.set(key, 'value', 'EX', 60);
      assert.ok((await deletePlatformKeys(setting('REDIS_URL'))) >= ours.length);
      assert.equal(await redis.exists(...ours), 0);
      assert.equal(await redis.exists(theirs), 1);
    } finally {
      await redis.del(theirs);
      redis.disconnect();
    }
  });

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
