import type { Writable } from 'node:stream';
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
  /** Built once the work is done, from its result; runs last, in COMMIT's round trip. */
  closing?: (value: T) => Statement | undefined;
}

const sessions = new WeakMap<pg.PoolClient, Transaction>();

/** The socket pg writes a connection's statements to (an internal of pg's client). */
const socketOf = (client: pg.PoolClient): Writable =>
  (client as unknown as { connection: { stream: Writable } }).connection.stream;

/**
 * Runs `send`, which issues statements without waiting, so that they leave in one write: pg
 * writes each statement on its own, and every write costs a system call here and a wake-up of
 * the server's process. Holds the socket's writes (pg itself corks it around each statement)
 * until `send` returns.
 */
function inOneWrite<T>(client: pg.PoolClient, send: () => T): T {
  const socket = socketOf(client);
  socket.cork();
  try {
    return send();
  } finally {
    socket.uncork();
  }
}

/**
 * Sends BEGIN, and with it the opening statement, whose result it resolves with. Without one,
 * BEGIN waits in the socket until the end of this turn of the event loop: the work's first
 * statement, issued by then, leaves in the same write, and nobody waits for BEGIN's answer on
 * its own (a BEGIN that fails fails the statements after it).
 */
async function begin(
  client: pg.PoolClient,
  opening: Statement | undefined,
): Promise<{ opened?: pg.QueryResult; begun?: Promise<unknown> }> {
  if (opening) {
    const [, opened] = await inOneWrite(client, () =>
      Promise.all([client.query('BEGIN'), client.query(opening)]),
    );
    return { opened };
  }
  const socket = socketOf(client);
  socket.cork();
  const begun = client.query('BEGIN');
  setImmediate(() => socket.uncork());
  // Awaited with the COMMIT; until then a failure must not count as unhandled.
  begun.catch(() => {});
  return { begun };
}

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
 * connectDatabase). BEGIN goes out with the opening statement (or the work's first) and COMMIT
 * with the closing one, without waiting in between: two round trips fewer per transaction, where an idle wake-up of
 * the server or of this process costs more than a small statement. BEGIN fails only with its
 * connection, and then so does every statement sent after it. A closing statement that fails
 * turns the pipelined COMMIT into a rollback, and the transaction fails with that statement's
 * error.
 */
export async function transaction<T>(
  pool: pg.Pool,
  work: (tx: Transaction, opened: pg.QueryResult | undefined) => Promise<T>,
  frame: TransactionFrame<T> = {},
): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  try {
    const { opened, begun } = await begin(client, frame.opening);
    const value = await work(sessionOf(client), opened);
    const closing = frame.closing?.(value);
    const [, , committed] = await inOneWrite(client, () =>
      Promise.all([begun, closing && client.query(closing), client.query('COMMIT')]),
    );
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
