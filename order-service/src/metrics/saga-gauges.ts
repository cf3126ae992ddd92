import type { Database } from '@saga/shared/db';
import type { Logger } from '@saga/shared/logger';
import { Gauge, type Registry } from 'prom-client';
import { type SagaCensus, sagaCensus } from '../db/saga-reports.js';
import { ORDER_STATUSES } from '../domain/order-status.js';

/** Both gauges are read in one scrape: one query answers both. */
const SHARED_FOR_MS = 1_000;

/**
 * `saga_in_flight{status}` and `saga_stuck{status}`, counted by one query at scrape time, so they
 * are right on every instance without any bookkeeping in the handlers. When the database does not
 * answer, the gauges keep their last values (readiness reports the database).
 */
export function observeSagas(
  registry: Registry,
  db: Database,
  stuckAfterSeconds: number,
  logger: Logger,
): void {
  let last: { at: number; census: Promise<SagaCensus[]> } | undefined;
  const census = () => {
    if (!last || Date.now() - last.at > SHARED_FOR_MS) {
      last = { at: Date.now(), census: sagaCensus(db, stuckAfterSeconds) };
    }
    return last.census;
  };
  const gauge = (name: string, help: string, count: (row: SagaCensus) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['status'] as const,
      registers: [registry],
      async collect() {
        let rows: SagaCensus[];
        try {
          rows = await census();
        } catch (error) {
          logger.warn({ err: error }, `${name} not counted: the database did not answer`);
          return;
        }
        for (const status of ORDER_STATUSES) this.set({ status }, 0);
        for (const row of rows) this.set({ status: row.status }, count(row));
      },
    });
  gauge('saga_in_flight', 'Sagas not yet ended, by status', (row) => row.inFlight);
  gauge(
    'saga_stuck',
    'Sagas without progress for SAGA_STUCK_AFTER_SECONDS, or holding a refused refund, by status',
    (row) => row.stuck,
  );
}
