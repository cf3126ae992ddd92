import { sql } from 'drizzle-orm';
import { processedEvents, type Transaction } from '../db/index.js';

/**
 * Records that `consumer` applied the events `eventIds`, in the handlers' transaction, and returns
 * the ids recorded now, in lowercase (PostgreSQL's form of a uuid). An id left out already had its
 * row: a duplicate, to acknowledge and skip.
 *
 * One INSERT ... ON CONFLICT DO NOTHING RETURNING for the whole batch: a concurrent copy of an
 * event blocks on its key until the first commits, then sees the conflict (check-then-insert
 * would let both through). The ids go in sorted, so two transactions recording overlapping
 * batches take the keys in the same order and cannot deadlock on them.
 *
 * The key is (consumer, eventId) and must never change: rows written under another key would stop
 * matching, and every event in the replay window would be applied a second time.
 */
export async function recordProcessed(
  tx: Transaction,
  consumer: string,
  eventIds: readonly string[],
): Promise<Set<string>> {
  const sorted = [...new Set(eventIds)].sort();
  const { rows } = await tx.execute<{ event_id: string }>(
    sql`INSERT INTO ${processedEvents} (consumer, event_id)
        SELECT ${consumer}, id FROM unnest(${sql.param(sorted)}::uuid[]) WITH ORDINALITY AS ids (id, n)
         ORDER BY n
        ON CONFLICT DO NOTHING RETURNING event_id`,
  );
  return new Set(rows.map((row) => row.event_id));
}
