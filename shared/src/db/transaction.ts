import { drizzle, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type pg from 'pg';

/** A database session inside a transaction: drizzle over the transaction's one connection. */
export type Transaction = PgDatabase<NodePgQueryResultHKT, Record<string, never>> & {
  $client: pg.PoolClient;
};

/** A statement the platform writes itself, sent in the round trip of a BEGIN or a COMMIT. */
export interface Statement {
  text: string;
  values: unknown[];
}

export interface TransactionFrame<T> {
  /** Runs first, in BEGIN's round trip; its result is handed to the work. */
  opening?: Statement;
  /** Built once the work is done, from its result; run in order, last, in COMMIT's round trip. */
  closing?: (value: T) => readonly Statement[];
}

const sessions = new WeakMap<pg.PoolClient, Transaction>();

/** The drizzle session over a pooled connection, made once per connection. */
function sessionOf(client: pg.PoolClient): Transaction {
  let session = sessions.get(client);
  if (!session) {
    session = drizzle(client);
    sessions.set(client, session);
  }
  return session;
}

/**
 * Runs `work` in a transaction on one connection of `pool`, which must be in pipeline mode (see
 * connectDatabase). Nothing waits for BEGIN alone, nor for a closing statement before COMMIT:
 * BEGIN leaves with the opening statement (or the work's first), and COMMIT with the closing one,
 * in one write each (see PlatformClient): two round trips fewer per transaction, where an idle
 * wake-up of the server or of this process costs more than a small statement. BEGIN fails only
 * with its connection, and then so does every statement sent after it. A closing statement that
 * fails turns the pipelined COMMIT into a rollback, and the transaction fails with that
 * statement's error: answers come in order, so the first to fail is the first to reject.
 */
export async function transaction<T>(
  pool: pg.Pool,
  work: (tx: Transaction, opened: pg.QueryResult | undefined) => Promise<T>,
  frame: TransactionFrame<T> = {},
): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  try {
    const begun = client.query('BEGIN');
    // Awaited with the COMMIT; until then a failure must not count as unhandled.
    begun.catch(() => {});
    const opened = frame.opening && (await client.query(frame.opening));
    const value = await work(sessionOf(client), opened);
    const closing = (frame.closing?.(value) ?? []).map((statement) => client.query(statement));
    const [, committed] = await Promise.all([begun, client.query('COMMIT'), ...closing]);
    if (committed.command !== 'COMMIT') throw new Error(`COMMIT answered ${committed.command}`);
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      lost = rollbackError;
    });
    throw error;
  } finally {
    // A connection that could not even roll back is closed, not handed to the next caller.
    client.release(lost);
  }
}
