import type pg from 'pg';
import { PlatformClient } from '../db/client.js';

export interface Leadership {
  /** True while this instance holds the lock; false after its connection is lost. */
  readonly held: boolean;
  /** Tries once to become leader; returns whether this instance leads now. */
  tryAcquire(): Promise<boolean>;
  /** Runs a statement on the leader's own session; rejects when this instance does not lead. */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Registers a callback for NOTIFY on `channel` (delivered while connected). */
  onNotify(listener: () => void): void;
  release(): Promise<void>;
}

/**
 * Leadership through a session-level advisory lock on a dedicated connection: PostgreSQL frees
 * the lock the moment that session ends, so a standby takes over when the leader dies or is cut
 * off. The same connection LISTENs, so wake-ups from other instances reach only the leader, and
 * carries the relay's reads and marks, under `sessionOptions` (the `options` startup parameter).
 */
export function advisoryLockLeadership(
  connectionString: string,
  lockId: number,
  channel: string,
  sessionOptions: string,
): Leadership {
  let client: pg.Client | undefined;
  let held = false;
  const listeners: (() => void)[] = [];

  const drop = () => {
    held = false;
    client?.end().catch(() => {});
    client = undefined;
  };

  return {
    get held() {
      return held;
    },
    async tryAcquire() {
      if (held) return true;
      if (!client) {
        const fresh = new PlatformClient({
          connectionString,
          application_name: 'outbox-relay',
          options: sessionOptions,
        });
        fresh.on('error', drop);
        fresh.on('end', () => {
          if (client === fresh) drop();
        });
        fresh.on('notification', () => {
          for (const listener of listeners) listener();
        });
        client = fresh;
        try {
          await fresh.connect();
        } catch (error) {
          drop();
          throw error;
        }
      }
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [lockId],
      );
      held = rows[0]?.locked === true;
      if (held) await client.query(`LISTEN "${channel}"`);
      return held;
    },
    query(text, values) {
      if (!held || !client) return Promise.reject(new Error('not the outbox relay leader'));
      return client.query(text, values);
    },
    onNotify(listener) {
      listeners.push(listener);
    },
    async release() {
      const current = client;
      held = false;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
