import type pg from 'pg';

/** An outbox row the relay publishes. */
export interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  payload: Buffer;
  headers: Record<string, string>;
  created_at: Date;
}

/** The session the reads and marks run on: one connection, statements in the order issued. */
export interface OutboxSession {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * Settings (the `options` startup parameter) of the session that runs only the reads and marks.
 * - Marks commit asynchronously: one lost with a server crash only publishes its rows again
 *   (consumers absorb duplicates), while waiting for every mark's WAL flush would cost a disk
 *   flush per published batch.
 * - No bitmap scans. A mark leaves a dead entry in the unpublished index until vacuum, and with
 *   few rows pending the planner prefers a bitmap scan plus sort, which visits every dead entry's
 *   heap page on every read. An index scan in id order stops at the batch size and flags the dead
 *   entries it passes, so the next read skips them.
 * - Plans made for the read's actual batch size and marks. The session prepares its statements
 *   (see PreparingClient), and a generic plan, made for any LIMIT, scans the whole table.
 */
export const OUTBOX_SESSION_OPTIONS =
  '-c synchronous_commit=off -c enable_bitmapscan=off -c plan_cache_mode=force_custom_plan';

/**
 * Marks `published` and reads the next unpublished rows in id order, in one statement: a round of
 * the relay is one read and one publish. The read's snapshot predates the mark, so the marked
 * rows are left out by id, as is `inFlight` (a batch still being published).
 */
export async function markThenRead(
  session: OutboxSession,
  published: readonly OutboxRow[],
  inFlight: readonly OutboxRow[],
  limit: number,
): Promise<OutboxRow[]> {
  const marked = published.map((row) => row.id);
  // Never "id > last seen": a transaction that committed late holds a lower id.
  const { rows } = await session.query<OutboxRow>(
    `WITH marked AS (UPDATE outbox SET published_at = now() WHERE id = ANY($2::bigint[]))
     SELECT id, topic, key, payload, headers, created_at FROM outbox
      WHERE published_at IS NULL AND NOT (id = ANY($3::bigint[])) ORDER BY id LIMIT $1`,
    [limit, marked, [...marked, ...inFlight.map((row) => row.id)]],
  );
  return rows;
}
