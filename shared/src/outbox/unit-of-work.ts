import type pg from 'pg';
import { type Statement, type Transaction, transaction } from '../db/index.js';
import type { TraceHeaders } from '../telemetry/index.js';
import { type EventEncoder, type OutboxEvent, outboxWrites } from './append.js';

/**
 * Appends events to the unit of work's outbox write. They continue `trace`, by default the trace
 * the unit of work was started in.
 */
export type Emit = (events: readonly OutboxEvent[], trace?: TraceHeaders) => Promise<void>;

export interface UnitOfWorkOptions {
  /** Runs first, in BEGIN's round trip (see `transaction`); its result is handed to the work. */
  opening?: Statement;
  /** The trace the emitted events continue unless they name their own. */
  trace?: TraceHeaders;
}

/**
 * Runs `work` in a transaction in which it may emit events: they are written to the outbox by
 * one INSERT that goes out with the COMMIT, so they commit or vanish with the state change that
 * caused them. Resolves with the work's value and whether it emitted anything, for the caller to wake the
 * relay.
 */
export async function unitOfWork<T>(
  pool: pg.Pool,
  encoder: EventEncoder,
  work: (tx: Transaction, emit: Emit, opened: pg.QueryResult | undefined) => Promise<T>,
  { opening, trace = {} }: UnitOfWorkOptions = {},
): Promise<{ value: T; emitted: boolean }> {
  const outbox = outboxWrites(encoder);
  const emit: Emit = (events, eventsTrace = trace) => outbox.emit(events, eventsTrace);
  const value = await transaction(pool, (tx, opened) => work(tx, emit, opened), {
    ...(opening && { opening }),
    closing: () => outbox.statement(),
  });
  return { value, emitted: outbox.emitted };
}
