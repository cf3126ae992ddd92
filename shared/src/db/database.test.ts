import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { databaseUrl } from '../config/index.js';
import { classifyFailure } from '../consumer/classify.js';
import { createTestDatabase, stackSettings, type TestDatabase } from '../testing/index.js';
import {
  applyMigrations,
  connectDatabase,
  type DatabaseHandle,
  ensureDatabase,
  ensureServiceDatabase,
  PLATFORM_MIGRATIONS,
  withClient,
} from './database.js';

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

/** The SQLSTATE `work` fails with (undefined if it does not fail). */
const codeOf = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: { code?: string }) => error.code,
  );

describe('service databases: least privilege', () => {
  const adminUrl = stackSettings().POSTGRES_URL;
  const base = `saga_test_${randomBytes(4).toString('hex')}`;
  const [a, b, legacy] = [`${base}_a`, `${base}_b`, `${base}_legacy`];
  const urls: Record<string, string> = {};
  const handles: DatabaseHandle[] = [];
  const connect = (url: string) => {
    const handle = connectDatabase({ url, maxConnections: 2 });
    handles.push(handle);
    return handle;
  };

  before(async () => {
    // Instances of one service start together: every one provisions, none fails.
    const starters = await Promise.all([1, 2, 3].map(() => ensureServiceDatabase(adminUrl, a)));
    assert.equal(new Set(starters).size, 1);
    urls[a] = starters[0]!;
    urls[b] = await ensureServiceDatabase(adminUrl, b);
  });

  after(async () => {
    await Promise.all(handles.map((handle) => handle.close()));
    await withClient(adminUrl, async (admin) => {
      // `_other` too: a role that could create a database would own it.
      await admin.query(`DROP DATABASE IF EXISTS ${base}_other WITH (FORCE)`);
      for (const name of [a, b, legacy]) {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.query(`DROP ROLE IF EXISTS ${name}`);
      }
    });
  });

  it('connects as the role of its name, which owns the database and little else', async () => {
    const url = new URL(urls[a]!);
    assert.equal(url.username, a);
    assert.equal(url.password, '');
    assert.equal(url.pathname, `/${a}`);
    const { rows } = await withClient(adminUrl, (admin) =>
      admin.query(
        `SELECT pg_get_userbyid(d.datdba) AS owner, r.rolsuper, r.rolcreatedb, r.rolcreaterole,
           r.rolcanlogin
         FROM pg_database d, pg_roles r WHERE d.datname = $1 AND r.rolname = $1`,
        [a],
      ),
    );
    assert.deepEqual(rows, [
      { owner: a, rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolcanlogin: true },
    ]);
  });

  it('lets the role migrate, write, LISTEN/NOTIFY and take advisory locks in its own', async () => {
    const own = connect(urls[a]!);
    await applyMigrations(own);
    const inserted = await own.pool.query(
      `INSERT INTO outbox (event_id, topic, key, payload, headers)
       VALUES (gen_random_uuid(), 't', 'k', '\\x00', '{}') RETURNING current_user AS who`,
    );
    assert.deepEqual(inserted.rows, [{ who: a }]);
    const locked = await own.pool.query('SELECT pg_try_advisory_lock(42) AS locked');
    assert.deepEqual(locked.rows, [{ locked: true }]);
    await withClient(urls[a]!, async (listener) => {
      const heard = new Promise((resolve) => listener.once('notification', resolve));
      await listener.query('LISTEN wake');
      await own.pool.query("SELECT pg_notify('wake', 'up')");
      assert.equal(((await heard) as { payload: string }).payload, 'up');
    });
  });

  it("refuses the role a connection to another service's database", async () => {
    const intruder = new URL(urls[b]!);
    intruder.username = a; // A's role, B's database
    assert.equal(await codeOf(withClient(intruder.toString(), () => Promise.resolve())), '42501');
    // B's own role gets in.
    await withClient(urls[b]!, (client) => client.query('SELECT 1'));
  });

  it('refuses the role creating a database or a role', async () => {
    await withClient(urls[a]!, async (client) => {
      assert.equal(await codeOf(client.query(`CREATE DATABASE ${base}_other`)), '42501');
      assert.equal(await codeOf(client.query(`CREATE ROLE ${base}_other`)), '42501');
    });
  });

  it('takes over a database the admin created and migrated, as an earlier version did', async () => {
    // The earlier version: the admin creates the database and applies the first migration, in
    // the service's own history as the platform tables were then...
    const firstOnly = mkdtempSync(join(tmpdir(), 'migrations-'));
    try {
      cpSync(PLATFORM_MIGRATIONS, firstOnly, { recursive: true });
      const journalFile = join(firstOnly, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalFile, 'utf8'));
      journal.entries = journal.entries.slice(0, 1);
      writeFileSync(journalFile, JSON.stringify(journal));
      const adminHandle = connect(await ensureDatabase(adminUrl, legacy));
      await migrate(drizzle(adminHandle.pool), { migrationsFolder: firstOnly });
    } finally {
      rmSync(firstOnly, { recursive: true, force: true });
    }
    // ... and objects of every kind, in public and in a schema of their own.
    await withClient(databaseUrl(adminUrl, legacy), async (admin) => {
      await admin.query(`
        INSERT INTO outbox (event_id, topic, key, payload, headers)
          VALUES (gen_random_uuid(), 't', 'k', '\\x00', '{}');
        CREATE TYPE mood AS ENUM ('calm', 'busy');
        CREATE SCHEMA legacy;
        CREATE TABLE legacy.things (id int GENERATED ALWAYS AS IDENTITY, mood mood);
        CREATE SEQUENCE legacy.counter;
        CREATE VIEW legacy.calm AS SELECT * FROM legacy.things WHERE mood = 'calm';
        CREATE FUNCTION legacy.twice(x int) RETURNS int LANGUAGE sql AS 'SELECT 2 * x';
      `);
    });

    // Idempotent: a second start changes nothing.
    const url = await ensureServiceDatabase(adminUrl, legacy);
    assert.equal(await ensureServiceDatabase(adminUrl, legacy), url);

    const own = connect(url);
    // The next migration alters the admin's table: only its owner may.
    await applyMigrations(own);
    const { rows: options } = await own.pool.query(
      "SELECT reloptions FROM pg_class WHERE relname = 'outbox'",
    );
    assert.ok(String(options[0]?.reloptions).includes('autovacuum_vacuum_threshold=10000'));
    await own.pool.query(
      `INSERT INTO outbox (event_id, topic, key, payload, headers)
       VALUES (gen_random_uuid(), 't', 'k', '\\x00', '{}')`,
    );
    await own.pool.query("INSERT INTO legacy.things (mood) VALUES ('calm')");
    await own.pool.query('TRUNCATE processed_events');
    const { rows } = await own.pool.query(
      `SELECT (SELECT count(*) FROM outbox)::int AS events, (SELECT count(*) FROM legacy.calm)::int AS calm,
         legacy.twice(2) AS four, nextval('legacy.counter')::int AS next`,
    );
    assert.deepEqual(rows, [{ events: 2, calm: 1, four: 4, next: 1 }]);
    // Nothing of the database's own schemas is left to anyone else.
    const { rows: foreign } = await own.pool.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN ('public', 'legacy', 'drizzle') AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
       UNION ALL SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname IN ('public', 'legacy', 'drizzle') AND t.typowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
       UNION ALL SELECT nspname FROM pg_namespace WHERE nspname IN ('legacy', 'drizzle')
         AND nspowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)`,
    );
    assert.deepEqual(foreign, []);
    // And no other service's role gets in.
    const intruder = new URL(url);
    intruder.username = a;
    assert.equal(await codeOf(withClient(intruder.toString(), () => Promise.resolve())), '42501');
  });
});

describe('platform migrations', () => {
  const adminUrl = stackSettings().POSTGRES_URL;
  const name = `saga_test_${randomBytes(6).toString('hex')}`;
  let handle: DatabaseHandle;
  before(async () => {
    handle = connectDatabase({ url: await ensureDatabase(adminUrl, name), maxConnections: 2 });
  });
  after(async () => {
    await handle.close();
    await withClient(adminUrl, (admin) =>
      admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    );
  });

  it("adopt the outbox and inbox a service's own history created, re-running none of it", async () => {
    // As before the platform had its own history: the service's first migrations created them.
    const serviceHistory = PLATFORM_MIGRATIONS;
    await migrate(drizzle(handle.pool), { migrationsFolder: serviceHistory });
    await handle.pool.query(
      `INSERT INTO outbox (event_id, topic, key, payload, headers)
       VALUES (gen_random_uuid(), 't', 'k', '\\x00', '{}')`,
    );

    await applyMigrations(handle, serviceHistory);
    await applyMigrations(handle, serviceHistory);

    const { rows } = await handle.pool.query(
      `SELECT (SELECT count(*) FROM outbox)::int AS events,
         (SELECT count(*) FROM drizzle.__platform_migrations)::int AS platform,
         (SELECT count(*) FROM drizzle.__drizzle_migrations)::int AS service`,
    );
    assert.deepEqual(rows, [{ events: 1, platform: 2, service: 2 }]);
  });
});
