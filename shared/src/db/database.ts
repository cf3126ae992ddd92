import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { databaseUrl } from '../config/index.js';
import { PreparingClient } from './prepared-statements.js';

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
    Client: PreparingClient,
    connectionString: config.url,
    // Statements issued without waiting for the one before go out together (see transaction.ts);
    // a caller that awaits each statement sees no difference.
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

/** Creates database `name` on the server of `adminUrl` unless it exists; returns its URL. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid database name "${name}"`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE ${name}`).catch((error: { code?: string }) => {
        // 42P04: a concurrent starter created it first.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await client.end();
  }
  return databaseUrl(adminUrl, name);
}

/** Any fixed number: instances of one service serialize their migrations on it. */
const MIGRATION_LOCK = 7_350_001;

/** Applies the committed drizzle migrations, one instance at a time. */
export async function applyMigrations(handle: DatabaseHandle, migrationsFolder: string) {
  const client = await handle.pool.connect();
  try {
    // A migration, or the wait for another instance's, may take longer than any request should.
    await client.query('SET statement_timeout TO 0');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await client.query('RESET statement_timeout').catch(() => {});
    client.release();
  }
}
