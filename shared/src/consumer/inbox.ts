import type pg from 'pg';
import type { Statement } from '../db/index.js';

/**
 * Records that `consumer` applied the events `eventIds`: the statement that opens the handlers'
 * transaction. Its result, read with `recordedNow`, holds the ids recorded now, in lowercase
 * (PostgreSQL's form of a uuid). An id left out already had its row: a duplicate, to acknowledge
 * and skip.
 *
 * One INSERT ... ON CONFLICT DO NOTHING RETURNING for the whole batch: a concurrent copy of an
 * event blocks on its key until the first commits, then sees the conflict (check-then-insert
 * would let both through). The ids go in sorted, so two transactions recording overlapping
 * batches take the keys in the same order and cannot deadlock on them.
 *
 * The key is (consumer, eventId) and must never change: rows written under another key would stop
 * matching, and every event in the replay window would be applied a second time.
 */
export function recordProcessed(consumer: string, eventIds: readonly string[]): Statement {
  return {
    text: `INSERT INTO processed_events (consumer, event_id)
           SELECT $1, id FROM unnest($2::uuid[]) WITH ORDINALITY AS ids (id, n) ORDER BY n
           ON CONFLICT DO NOTHING RETURNING event_id`,
    values: [consumer, [...new Set(eventIds)].sort()],
  };
}

/** The ids the `recordProcessed` statement recorded now. */
export const recordedNow = (result: pg.QueryResult | undefined): Set<string> =>
  new Set(result?.rows.map((row: { event_id: string }) => row.event_id));

/** Deletes `consumer`'s inbox rows older than `retentionMs`, which must cover the replay window. */
export async function pruneInbox(pool: pg.Pool, consumer: string, retentionMs: number) {
  await pool.query(
    `DELETE FROM processed_events WHERE consumer = $1
       AND processed_at < now() - make_interval(secs => $2)`,
    [consumer, retentionMs / 1000],
  );
}
