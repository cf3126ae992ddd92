import { statement, type Transaction } from '@saga/shared/db';
import { type SQL, sql } from 'drizzle-orm';
import type { OrderStatus } from '../domain/order-status.js';
import { SAGA_TOPICS, type SagaFacts, type SagaTopic } from '../domain/saga-state.js';
import { type SagaInstanceRow, sagaInstances, sagaTimeline } from './schema.js';

/** The column that records each fact, as the time the fact happened. */
const FACT_COLUMNS = {
  'payment.completed': 'paymentCompletedAt',
  'payment.failed': 'paymentFailedAt',
  'payment.refunded': 'paymentRefundedAt',
  'payment.refund-failed': 'paymentRefundFailedAt',
  'stock.reserved': 'stockReservedAt',
  'stock.reservation-failed': 'stockReservationFailedAt',
  'stock.released': 'stockReleasedAt',
  'delivery.started': 'deliveryStartedAt',
  'delivery.failed': 'deliveryFailedAt',
} as const satisfies Record<SagaTopic, keyof SagaInstanceRow>;

export interface RecordedSaga {
  status: OrderStatus;
  facts: SagaFacts;
}

/** What a fact records besides its time: a refused refund keeps the gateway's words, the last ones. */
const EXTRA_CHANGES: Partial<Record<SagaTopic, SQL>> = {
  'payment.refund-failed': sql`, compensation_failure = ${sql.placeholder('compensationFailure')}`,
};

/** Per fact: one statement that records it and returns every fact seen so far (built once). */
const recordFact = Object.fromEntries(
  SAGA_TOPICS.map((topic) => {
    const fact = sagaInstances[FACT_COLUMNS[topic]];
    const at = sql`${sql.placeholder('at')}::timestamptz`;
    return [
      topic,
      statement<FactEntry>(sql`
        WITH recorded AS (
          UPDATE ${sagaInstances}
          SET ${sql.identifier(fact.name)} = coalesce(${fact}, ${at}), updated_at = now()
            ${EXTRA_CHANGES[topic] ?? sql``}
          WHERE ${sagaInstances.orderId} = ${sql.placeholder('orderId')}
          RETURNING *
        ), noted AS (
          INSERT INTO ${sagaTimeline} (order_id, event_id, type, service, at)
          SELECT order_id, ${sql.placeholder('eventId')}, ${sql.placeholder('type')},
            ${sql.placeholder('service')}, ${at}
          FROM recorded
          ON CONFLICT (event_id) DO NOTHING
        )
        SELECT * FROM recorded`),
    ];
  }),
) as Record<SagaTopic, ReturnType<typeof statement<FactEntry>>>;

/**
 * Records that `topic` happened for the saga (the first time wins) with its timeline entry, and
 * returns every fact seen so far, in one statement. The UPDATE locks the saga row until commit,
 * so concurrent events of one saga, which arrive on different topics, are decided one after the
 * other on all the facts. A re-delivered event (same eventId) adds no timeline entry. Undefined
 * when the saga does not exist.
 */
export async function recordSagaFact(
  tx: Transaction,
  topic: SagaTopic,
  entry: FactEntry,
): Promise<RecordedSaga | undefined> {
  const [saga] = await recordFact[topic](tx, entry);
  if (!saga) return undefined;
  return { status: saga.status as OrderStatus, facts: factsOf(saga) };
}

/** The facts a saga_instances row records, from the row as PostgreSQL names its columns. */
export function factsOf(row: Record<string, unknown>): SagaFacts {
  return new Set(SAGA_TOPICS.filter((seen) => row[sagaInstances[FACT_COLUMNS[seen]].name] != null));
}

export interface TimelineEntry {
  orderId: string;
  eventId: string;
  type: string;
  service: string;
  at: Date;
}

/** A fact as recorded: its timeline entry, and for a refused refund why it was refused. */
export interface FactEntry extends TimelineEntry {
  compensationFailure?: string;
}

/** A saga past its deadline, locked by the transaction that cancels it. */
export interface OverdueSaga {
  orderId: string;
  status: OrderStatus;
}

// The status condition is written out so that the partial index on open sagas serves it.
const overdue = statement<{ limit: number }>(sql`
  SELECT order_id, status FROM ${sagaInstances}
  WHERE ${sagaInstances.status} NOT IN ('COMPLETED', 'CANCELED')
    AND ${sagaInstances.deadlineAt} <= now()
  ORDER BY ${sagaInstances.deadlineAt}
  LIMIT ${sql.placeholder('limit')}
  FOR UPDATE SKIP LOCKED`);

/**
 * Up to `limit` sagas whose deadline has passed, oldest deadline first, locked until the
 * transaction ends. Rows another transaction holds (an event of that saga being applied, another
 * instance's keeper) are skipped, and looked at again next time.
 */
export async function lockOverdueSagas(tx: Transaction, limit: number): Promise<OverdueSaga[]> {
  const rows = await overdue(tx, { limit });
  return rows.map((row) => ({ orderId: String(row.order_id), status: row.status as OrderStatus }));
}
