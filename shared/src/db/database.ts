import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { databaseUrl } from '../config/index.js';
import { PlatformClient } from './client.js';

export type Database = NodePgDatabase<Record<string, never>> & { $client: pg.Pool };

export interface DatabaseHandle {
  db: Database;
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface DatabaseConfig {
  url: string;
  /** Pool size. Default 10. */
  maxConnections?: number;
  applicationName?: string;
  /** How long a caller waits for a free connection before failing, ms. Default 5000. */
  acquireTimeoutMs?: number;
  /** PostgreSQL cancels any statement of the pool's connections that runs longer, ms. Default 30000. */
  statementTimeoutMs?: number;
}

export function connectDatabase(config: DatabaseConfig): DatabaseHandle {
  const pool = new pg.Pool({
    Client: PlatformClient,
    connectionString: config.url,
    // Statements issued without waiting for the one before go out together (see client.ts); a
    // caller that awaits each statement sees no difference.
    pipeline: true,
    max: config.maxConnections ?? 10,
    application_name: config.applicationName,
    // Under overload a request fails fast (503) instead of queueing for a connection, or holding
    // one, without end.
    connectionTimeoutMillis: config.acquireTimeoutMs ?? 5_000,
    statement_timeout: config.statementTimeoutMs ?? 30_000,
  });
  // A connection lost while idle (pool 'error') or while checked out (the client's own 'error',
  // which pg-pool stops listening to during a checkout) must not crash the process: the query in
  // flight fails as a transient error and is retried on a fresh connection.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return { db: drizzle(pool), pool, close: () => pool.end() };
}

const NAME = /^[a-z_][a-z0-9_]*$/;

function checkName(name: string) {
  if (!NAME.test(name)) throw new Error(`Invalid database name "${name}"`);
}

/** Runs `use` on one connection to `url`, closed afterwards. */
export async function withClient<T>(
  url: string,
  use: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {}); // a connection lost between statements fails the next one
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Runs a statement that a concurrent starter may have run first (it failing with `codes`). */
async function tolerating(client: pg.Client, sql: string, codes: readonly string[]) {
  await client.query(sql).catch((error: { code?: string }) => {
    if (!codes.includes(error.code ?? '')) throw error;
  });
}

/**
 * Creates database `name` on the server of `adminUrl` unless it exists, owned by the admin;
 * returns its URL (the admin's). For throwaway test databases: a service's goes through
 * `ensureServiceDatabase`.
 */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  checkName(name);
  await withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    // 42P04 (or 23505 on the catalog's unique index): a concurrent starter created it first.
    if (rowCount === 0) await tolerating(client, `CREATE DATABASE "${name}"`, ['42P04', '23505']);
  });
  return databaseUrl(adminUrl, name);
}

/**
 * Database `name` on the server of `serverUrl`, reached as the role of the same name without a
 * password (see `ensureServiceDatabase`).
 */
export function serviceDatabaseUrl(serverUrl: string, name: string): string {
  checkName(name);
  const url = new URL(databaseUrl(serverUrl, name));
  url.username = name;
  url.password = '';
  return url.toString();
}

/** Any fixed number: starters of one service database take turns provisioning it. */
const PROVISION_LOCK = 7_350_002;

/**
 * Least privilege for a service: ensures a LOGIN role `name` (no superuser, no CREATEDB, no
 * CREATEROLE) owning database `name` and everything in it, a database no other role may connect
 * to, and returns its URL as that role. Its migrations, relay (LISTEN/NOTIFY, advisory locks) and
 * queries then run as that role, which cannot reach another service's tables.
 *
 * The role has no password: the local server trusts local connections. This is the local
 * default (no DATABASE_URL); production passes its own DATABASE_URL, with credentials, for a role
 * provisioned the same way.
 *
 * Safe for concurrent starters (they take turns on an advisory lock, and tolerate a duplicate
 * from one that does not take it) and idempotent. A database an earlier version created as the
 * admin is taken over: its owner, schemas, tables, sequences, views, types and functions pass to
 * the role (the admin, a bootstrap superuser, cannot REASSIGN OWNED its own objects).
 */
export async function ensureServiceDatabase(adminUrl: string, name: string): Promise<string> {
  checkName(name);
  await withClient(adminUrl, async (admin) => {
    // Held until the session ends. Two CREATE ROLE (or REVOKE, ALTER ... OWNER) at once can fail
    // as duplicates or "tuple concurrently updated".
    await admin.query('SELECT pg_advisory_lock($1, hashtext($2))', [PROVISION_LOCK, name]);
    await ensureRole(admin, name);
    await ensureOwnedDatabase(admin, name);
    await withClient(databaseUrl(adminUrl, name), (inside) => takeOverObjects(inside, name));
  });
  return serviceDatabaseUrl(adminUrl, name);
}

const ROLE_ATTRIBUTES = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';

async function ensureRole(admin: pg.Client, name: string) {
  const { rows } = await admin.query<{ least: boolean }>(
    `SELECT rolcanlogin AND NOT (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication
       OR rolbypassrls) AS least
     FROM pg_roles WHERE rolname = $1`,
    [name],
  );
  if (rows.length === 0) {
    // 42710 duplicate_object, or 23505 on the catalog's unique index: created concurrently.
    await tolerating(admin, `CREATE ROLE "${name}" ${ROLE_ATTRIBUTES}`, ['42710', '23505']);
  } else if (!rows[0]!.least) {
    await admin.query(`ALTER ROLE "${name}" ${ROLE_ATTRIBUTES}`);
  }
}

async function ensureOwnedDatabase(admin: pg.Client, name: string) {
  const { rows } = await admin.query<{ owner: string; public: boolean }>(
    `SELECT pg_get_userbyid(datdba) AS owner,
       EXISTS (SELECT 1 FROM aclexplode(coalesce(datacl, acldefault('d', datdba)))
               WHERE grantee = 0) AS public
     FROM pg_database WHERE datname = $1`,
    [name],
  );
  if (rows.length === 0) {
    await tolerating(admin, `CREATE DATABASE "${name}" OWNER "${name}"`, ['42P04', '23505']);
  } else if (rows[0]!.owner !== name) {
    await admin.query(`ALTER DATABASE "${name}" OWNER TO "${name}"`);
  }
  // By default every role may connect (and create temporary tables); now only the owner (and
  // superusers) may.
  if (rows.length === 0 || rows[0]!.public) {
    await admin.query(`REVOKE ALL ON DATABASE "${name}" FROM PUBLIC`);
  }
}

/**
 * The statements that hand every object of the database's own schemas (not the system's, nor an
 * extension's) to `$1`. A table's indexes and owned sequences follow it; `public`, owned by
 * pg_database_owner since PostgreSQL 15, is the database owner's already.
 */
const TAKEOVER = `
WITH
  role AS (SELECT oid FROM pg_roles WHERE rolname = $1),
  own AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg_%'
  ),
  extension AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e')
SELECT 1 AS step, format('ALTER SCHEMA %I OWNER TO %I', nspname, $1) AS statement
  FROM pg_namespace
  WHERE oid IN (SELECT oid FROM own) AND nspowner NOT IN (SELECT oid FROM role)
    AND nspowner <> 'pg_database_owner'::regrole
    AND ('pg_namespace'::regclass, oid) NOT IN (SELECT * FROM extension)
UNION ALL
SELECT 2, format('ALTER %s %I.%I OWNER TO %I',
    CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname, $1)
  FROM pg_type t JOIN own n ON n.oid = t.typnamespace
  WHERE t.typowner NOT IN (SELECT oid FROM role)
    AND (t.typtype IN ('e', 'd', 'r')
      OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
    AND ('pg_type'::regclass, t.oid) NOT IN (SELECT * FROM extension)
UNION ALL
SELECT 3, format('ALTER %s %I.%I OWNER TO %I',
    CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
      WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
    n.nspname, c.relname, $1)
  FROM pg_class c JOIN own n ON n.oid = c.relnamespace
  WHERE c.relowner NOT IN (SELECT oid FROM role)
    AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
    AND ('pg_class'::regclass, c.oid) NOT IN (SELECT * FROM extension)
    AND NOT EXISTS (
      SELECT 1 FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    )
UNION ALL
SELECT 4, format('ALTER %s %s OWNER TO %I',
    CASE p.prokind WHEN 'a' THEN 'AGGREGATE' ELSE 'ROUTINE' END, p.oid::regprocedure, $1)
  FROM pg_proc p JOIN own n ON n.oid = p.pronamespace
  WHERE p.proowner NOT IN (SELECT oid FROM role)
    AND ('pg_proc'::regclass, p.oid) NOT IN (SELECT * FROM extension)
ORDER BY step`;

async function takeOverObjects(inside: pg.Client, name: string) {
  const { rows } = await inside.query<{ statement: string }>(TAKEOVER, [name]);
  for (const { statement } of rows) await inside.query(statement);
}

/** Any fixed number: instances of one service serialize their migrations on it. */
const MIGRATION_LOCK = 7_350_001;

/** The platform's own tables (outbox, inbox), which every service database holds. */
export const PLATFORM_MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Applies the platform's migrations, then the service's own (its business tables) if given, one
 * instance at a time. Each history has its own journal: drizzle skips every migration older than
 * the newest one its journal records, so one journal for both would skip one history's.
 */
export async function applyMigrations(handle: DatabaseHandle, migrationsFolder?: string) {
  const client = await handle.pool.connect();
  try {
    // A migration, or the wait for another instance's, may take longer than any request should.
    await client.query('SET statement_timeout TO 0');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const db = drizzle(client);
    await migrate(db, {
      migrationsFolder: PLATFORM_MIGRATIONS,
      migrationsTable: '__platform_migrations',
    });
    // The default journal, where the services recorded their migrations before the platform had
    // its own.
    if (migrationsFolder) await migrate(db, { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await client.query('RESET statement_timeout').catch(() => {});
    client.release();
  }
}
