import { newEventId, unitsOfWork } from '@saga/shared/outbox';
import { sampleEvents } from '@saga/shared/testing';
import { sql } from 'drizzle-orm';
import type { benchEnvironment } from './harness.js';

type BenchEnvironment = Awaited<ReturnType<typeof benchEnvironment>>;
type BenchDatabase = Awaited<ReturnType<BenchEnvironment['database']>>;

/**
 * The producing side of a hop, as a service's business transaction would be: a row of its own
 * state and the event in the outbox, committed together. Returns a function that commits one
 * event for `orderId` and resolves with its id once committed.
 */
export async function producingTransactions(env: BenchEnvironment, database: BenchDatabase) {
  await database.pool.query('CREATE TABLE source (id bigserial PRIMARY KEY, order_id text)');
  // The caller wakes its relay, after it has noted the commit time.
  const openUnitOfWork = unitsOfWork(database.pool, env.codec, () => {});
  return async (orderId: string): Promise<string> => {
    // A shallow copy: the nested fields are only read.
    const event = { ...sampleEvents['payment.completed'], eventId: newEventId(), orderId };
    await openUnitOfWork(async ({ tx, emit }) => {
      await tx.execute(sql`INSERT INTO source (order_id) VALUES (${orderId})`);
      await emit([{ topic: 'payment.completed', value: event }]);
    });
    return event.eventId;
  };
}

/**
 * Open loop: starts `operation(index)` for index 0 … total-1, each at its own due time at `rate`
 * per second, whatever happened to the ones before. Resolves once all have finished, with the
 * rate achieved: total over the time from the first start to the last finish.
 */
export async function offerAtRate(
  rate: number,
  total: number,
  operation: (index: number) => Promise<unknown>,
): Promise<number> {
  const started = performance.now();
  const inFlight: Promise<unknown>[] = [];
  for (let index = 0; index < total; index++) {
    const wait = started + (index * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(operation(index));
  }
  await Promise.all(inFlight);
  return total / ((performance.now() - started) / 1000);
}
