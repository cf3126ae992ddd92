import type { Database } from '@saga/shared/db';
import { statement } from '@saga/shared/db';
import { type SQL, sql } from 'drizzle-orm';
import type { FailureReason, OrderStatus } from '../domain/order-status.js';
import type { SagaFacts } from '../domain/saga-state.js';
import { factsOf } from './saga.js';
import { orders, sagaInstances, sagaTimeline } from './schema.js';

/** One saga as an operator sees it: where it is, what it saw last, and every fact. */
export interface SagaReport {
  orderId: string;
  status: OrderStatus;
  failureReason: FailureReason | null;
  facts: SagaFacts;
  startedAt: Date;
  deadlineAt: Date;
  compensationFailure: string | null;
  lastEvent: { type: string; service: string; at: Date } | null;
}

const value = sql.placeholder;

/**
 * The saga, its order's failure reason and the event it saw last: recorded last, whatever the
 * producer's clock said (a saga has a handful of timeline rows, found by the timeline index).
 */
const reportOf = (where: SQL, tail: SQL = sql``) => sql`
  SELECT s.*, o.failure_reason, last.type AS last_type, last.service AS last_service,
    last.at AS last_at
  FROM ${sagaInstances} s
  JOIN ${orders} o ON o.id = s.order_id
  LEFT JOIN LATERAL (
    SELECT t.type, t.service, t.at FROM ${sagaTimeline} t
    WHERE t.order_id = s.order_id ORDER BY t.id DESC LIMIT 1
  ) last ON true
  WHERE ${where}
  ${tail}`;

// The conditions are written out so that the partial indexes on open sagas and on refused
// refunds serve them (a prepared statement's generic plan needs them literally).
const STUCK = sql`
  (s.status NOT IN ('COMPLETED', 'CANCELED')
    AND s.updated_at <= now() - make_interval(secs => ${value('stuckForSeconds')}))
  OR (s.payment_refund_failed_at IS NOT NULL AND s.payment_refunded_at IS NULL)`;

const stuck = statement<{ stuckForSeconds: number; limit: number }>(
  reportOf(STUCK, sql`ORDER BY s.updated_at LIMIT ${value('limit')}`),
);
const one = statement<{ orderId: string }>(reportOf(sql`s.order_id = ${value('orderId')}`));

/**
 * Sagas that are stuck, least recently moved first: not ended and without progress for
 * `stuckForSeconds`, or holding a refund the gateway refused (whatever their status).
 */
export async function stuckSagas(
  db: Database,
  filter: { stuckForSeconds: number; limit: number },
): Promise<SagaReport[]> {
  return (await stuck(db, filter)).map(reportFromRow);
}

export async function sagaReport(db: Database, orderId: string): Promise<SagaReport | undefined> {
  const [row] = await one(db, { orderId });
  return row && reportFromRow(row);
}

/**
 * Per status, the sagas in flight (not ended) and the stuck ones (as `stuckSagas` means it): one
 * scan of the rows both partial indexes cover, cheap enough for every scrape.
 */
const census = statement<{ stuckForSeconds: number }>(sql`
  SELECT s.status,
    count(*) FILTER (WHERE s.status NOT IN ('COMPLETED', 'CANCELED'))::int AS in_flight,
    count(*) FILTER (WHERE ${STUCK})::int AS stuck
  FROM ${sagaInstances} s
  WHERE s.status NOT IN ('COMPLETED', 'CANCELED')
    OR (s.payment_refund_failed_at IS NOT NULL AND s.payment_refunded_at IS NULL)
  GROUP BY s.status`);

export interface SagaCensus {
  status: OrderStatus;
  inFlight: number;
  stuck: number;
}

export async function sagaCensus(db: Database, stuckForSeconds: number): Promise<SagaCensus[]> {
  const rows = await census(db, { stuckForSeconds });
  return rows.map((row) => ({
    status: row.status as OrderStatus,
    inFlight: Number(row.in_flight),
    stuck: Number(row.stuck),
  }));
}

function reportFromRow(row: Record<string, unknown>): SagaReport {
  return {
    orderId: String(row.order_id),
    status: row.status as OrderStatus,
    failureReason: (row.failure_reason as FailureReason | null) ?? null,
    facts: factsOf(row),
    startedAt: new Date(row.started_at as string),
    deadlineAt: new Date(row.deadline_at as string),
    compensationFailure: (row.compensation_failure as string | null) ?? null,
    lastEvent: row.last_type
      ? {
          type: String(row.last_type),
          service: String(row.last_service),
          at: new Date(row.last_at as string),
        }
      : null,
  };
}
