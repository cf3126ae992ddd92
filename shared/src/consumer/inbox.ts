import { processedEvents, type Transaction } from '../db/index.js';

/**
 * Records that `consumer` applied `eventId`, in the handler's transaction. Returns false when the
 * row already exists: a duplicate, to acknowledge and skip. One INSERT ... ON CONFLICT DO NOTHING
 * RETURNING: a concurrent copy of the same event blocks on the key until the first commits, then
 * sees the conflict. Check-then-insert would let both through.
 *
 * The key is (consumer, eventId) and must never change: rows written under another key would stop
 * matching, and every event in the replay window would be applied a second time.
 */
export async function recordProcessed(
  tx: Transaction,
  consumer: string,
  eventId: string,
): Promise<boolean> {
  const inserted = await tx
    .insert(processedEvents)
    .values({ consumer, eventId })
    .onConflictDoNothing()
    .returning({ eventId: processedEvents.eventId });
  return inserted.length === 1;
}
