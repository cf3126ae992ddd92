import type pg from 'pg';
import { type Statement, type Transaction, transaction } from '../db/index.js';
import { type EventEncoder, type OutboxEvent, outboxWrites } from './append.js';

export type Emit = (events: readonly OutboxEvent[]) => Promise<void>;

/**
 * Runs `work` in a transaction in which it may emit events: they are written to the outbox by
 * one INSERT that goes out with the COMMIT, so they commit or vanish with the state change that
 * caused them. `opening`, if given, runs first, in BEGIN's round trip (see `transaction`).
 * Resolves with the work's value and whether it emitted anything, for the caller to wake the
 * relay.
 */
export async function unitOfWork<T>(
  pool: pg.Pool,
  encoder: EventEncoder,
  work: (tx: Transaction, emit: Emit, opened: pg.QueryResult | undefined) => Promise<T>,
  opening?: Statement,
): Promise<{ value: T; emitted: boolean }> {
  const outbox = outboxWrites(encoder);
  const value = await transaction(pool, (tx, opened) => work(tx, outbox.emit, opened), {
    ...(opening && { opening }),
    closing: () => outbox.statement(),
  });
  return { value, emitted: outbox.emitted };
}
