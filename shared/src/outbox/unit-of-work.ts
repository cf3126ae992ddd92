import type pg from 'pg';
import { createGroupCommit, type Statement, type Transaction, transaction } from '../db/index.js';
import type { TraceHeaders } from '../telemetry/index.js';
import { type EventEncoder, type OutboxEvent, outboxWrites } from './append.js';

/**
 * Appends events to the unit of work's outbox write. They continue `trace`, by default the trace
 * the unit of work was started in.
 */
export type Emit = (events: readonly OutboxEvent[], trace?: TraceHeaders) => Promise<void>;

/**
 * A transaction that may emit events: the one way a service changes state, from an HTTP route,
 * a worker or an event handler.
 */
export interface UnitOfWork {
  tx: Transaction;
  emit: Emit;
  /**
   * Sends `write` with the COMMIT, ahead of the outbox INSERT, for a write whose answer the work
   * does not need: it costs no round trip of its own. If it fails, the unit fails with its error.
   */
  writeAtCommit(write: Statement): void;
  /**
   * Runs `callback` once the transaction has committed (never if it rolls back), e.g. to wake a
   * worker that acts on the rows this unit wrote.
   */
  onCommitted(callback: () => void): void;
}

export interface UnitOfWorkOptions {
  /** Runs first, in BEGIN's round trip (see `transaction`); its result is handed to the work. */
  opening?: Statement;
  /** The trace the emitted events continue unless they name their own. */
  trace?: TraceHeaders;
}

/** Runs `work` in a unit of work and resolves with its value once committed. */
export type OpenUnitOfWork = <T>(
  work: (unit: UnitOfWork, opened: pg.QueryResult | undefined) => Promise<T>,
  options?: UnitOfWorkOptions,
) => Promise<T>;

/**
 * Opens units of work on `pool`. Emitted events are written to the outbox by one INSERT that
 * goes out with the COMMIT, so they commit or vanish with the state change that caused them.
 * After a commit, `wakeRelay` runs if events were emitted, then the unit's on-commit callbacks.
 */
export function unitsOfWork(
  pool: pg.Pool,
  encoder: EventEncoder,
  wakeRelay: () => void,
): OpenUnitOfWork {
  return async (work, { opening, trace = {} } = {}) => {
    const outbox = outboxWrites(encoder);
    const committed: (() => void)[] = [];
    const emit: Emit = (events, eventsTrace = trace) => outbox.emit(events, eventsTrace);
    const onCommitted = (callback: () => void) => {
      committed.push(callback);
    };
    const writes: Statement[] = [];
    const writeAtCommit = (write: Statement) => {
      writes.push(write);
    };
    const value = await transaction(
      pool,
      (tx, opened) => work({ tx, emit, writeAtCommit, onCommitted }, opened),
      {
        ...(opening && { opening }),
        closing: () => {
          const events = outbox.statement();
          return events ? [...writes, events] : writes;
        },
      },
    );
    if (outbox.emitted) wakeRelay();
    for (const callback of committed) callback();
    return value;
  };
}

/** Runs `work` in a unit of work that it may share with others, and resolves once committed. */
export type Transact = <T>(
  work: (unit: UnitOfWork) => Promise<T>,
  options?: { trace?: TraceHeaders },
) => Promise<T>;

interface Member {
  work: (unit: UnitOfWork) => Promise<unknown>;
  trace: TraceHeaders;
}

/** A shared unit of work failed: each of its members runs again alone. */
class SharedUnitFailed extends Error {}

/**
 * Units of work that share a transaction when they arrive together (see createGroupCommit): a
 * busy API places many orders, or settles many payments, in one BEGIN and one COMMIT. Each work
 * sees the shared unit, with its own trace for the events it emits. Works must not depend on
 * each other, and must be safe to run twice: when a shared unit fails, whatever failed it, each
 * of its works runs again in a unit of its own, so that one work's failure (a unique violation,
 * say) is never another's. A work that arrives alone runs alone, once.
 */
export function sharedUnitsOfWork(open: OpenUnitOfWork): Transact {
  const group = createGroupCommit<Member, unknown>(async (members) => {
    if (members.length === 1) {
      const [{ work, trace }] = members as [Member];
      return [await open(work, { trace })];
    }
    try {
      return await open(async (unit) => {
        const done = await Promise.allSettled(
          members.map(({ work, trace }) =>
            work({
              ...unit,
              emit: (events, eventsTrace = trace) => unit.emit(events, eventsTrace),
            }),
          ),
        );
        // Every work has settled: no statement of another is left in flight at the rollback.
        const failed = done.find((result) => result.status === 'rejected');
        if (failed) throw failed.reason;
        return done.map((result) => (result as PromiseFulfilledResult<unknown>).value);
      });
    } catch (error) {
      // A work's error, or one at the COMMIT (a write sent with it): whose, nobody can tell.
      throw new SharedUnitFailed('a shared unit of work failed', { cause: error });
    }
  });
  return async <T>(work: (unit: UnitOfWork) => Promise<T>, { trace = {} } = {}) => {
    try {
      const [value] = await group.submit([{ work, trace }]);
      return value as T;
    } catch (error) {
      if (!(error instanceof SharedUnitFailed)) throw error;
      return open(work, { trace });
    }
  };
}
