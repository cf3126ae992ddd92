import pg from 'pg';

export interface Leadership {
  /** True while this instance holds the lock; false after its connection is lost. */
  readonly held: boolean;
  /** Tries once to become leader; returns whether this instance leads now. */
  tryAcquire(): Promise<boolean>;
  /** Registers a callback for NOTIFY on `channel` (delivered while connected). */
  onNotify(listener: () => void): void;
  release(): Promise<void>;
}

/**
 * Leadership through a session-level advisory lock on a dedicated connection: PostgreSQL frees
 * the lock the moment that session ends, so a standby takes over when the leader dies or is cut
 * off. The same connection LISTENs, so wake-ups from other instances reach only the leader.
 */
export function advisoryLockLeadership(
  connectionString: string,
  lockId: number,
  channel: string,
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
        const fresh = new pg.Client({ connectionString, application_name: 'outbox-relay' });
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
