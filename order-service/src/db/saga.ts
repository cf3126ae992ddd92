import type { Transaction } from '@saga/shared/db';
import { asc, eq, sql } from 'drizzle-orm';
import { isTerminal, type OrderStatus } from '../domain/order-status.js';
import { currentStep, SAGA_TOPICS, type SagaFacts, type SagaTopic } from '../domain/saga-state.js';
import type { Executor } from './executor.js';
import { type SagaInstanceRow, sagaInstances, sagaTimeline } from './schema.js';

/** The column that records each fact, as the time the fact happened. */
const FACT_COLUMNS = {
  'payment.completed': 'paymentCompletedAt',
  'payment.failed': 'paymentFailedAt',
  'payment.refunded': 'paymentRefundedAt',
  'stock.reserved': 'stockReservedAt',
  'stock.reservation-failed': 'stockReservationFailedAt',
  'stock.released': 'stockReleasedAt',
  'delivery.started': 'deliveryStartedAt',
  'delivery.failed': 'deliveryFailedAt',
} as const satisfies Record<SagaTopic, keyof SagaInstanceRow>;

export async function startSaga(tx: Transaction, orderId: string, startedAt: Date): Promise<void> {
  await tx.insert(sagaInstances).values({
    orderId,
    status: 'PENDING',
    currentStep: currentStep('PENDING'),
    startedAt,
    updatedAt: startedAt,
  });
}

export interface RecordedSaga {
  status: OrderStatus;
  facts: SagaFacts;
}

/**
 * Records that `topic` happened for the saga (the first time wins) and returns every fact seen
 * so far. The UPDATE locks the saga row until commit, so concurrent events of one saga, which
 * arrive on different topics, are decided one after the other on all the facts. Undefined when
 * the saga does not exist.
 */
export async function recordSagaFact(
  tx: Transaction,
  orderId: string,
  topic: SagaTopic,
  occurredAt: Date,
): Promise<RecordedSaga | undefined> {
  const column = FACT_COLUMNS[topic];
  const [saga] = await tx
    .update(sagaInstances)
    .set({
      [column]: sql`coalesce(${sagaInstances[column]}, ${occurredAt.toISOString()}::timestamptz)`,
      updatedAt: sql`now()`,
    })
    .where(eq(sagaInstances.orderId, orderId))
    .returning();
  if (!saga) return undefined;
  return {
    status: saga.status,
    facts: new Set(SAGA_TOPICS.filter((fact) => saga[FACT_COLUMNS[fact]] !== null)),
  };
}

export async function setSagaStatus(
  tx: Transaction,
  orderId: string,
  status: OrderStatus,
): Promise<void> {
  await tx
    .update(sagaInstances)
    .set({
      status,
      currentStep: currentStep(status),
      updatedAt: sql`now()`,
      ...(isTerminal(status) ? { completedAt: sql`now()` } : {}),
    })
    .where(eq(sagaInstances.orderId, orderId));
}

export interface TimelineEntry {
  orderId: string;
  eventId: string;
  type: string;
  service: string;
  at: Date;
}

/** One row per event seen; a re-delivered event (same eventId) adds nothing. */
export async function appendTimeline(tx: Transaction, entry: TimelineEntry): Promise<void> {
  await tx.insert(sagaTimeline).values(entry).onConflictDoNothing();
}

export function findTimeline(executor: Executor, orderId: string) {
  return executor
    .select({
      type: sagaTimeline.type,
      service: sagaTimeline.service,
      eventId: sagaTimeline.eventId,
      at: sagaTimeline.at,
    })
    .from(sagaTimeline)
    .where(eq(sagaTimeline.orderId, orderId))
    .orderBy(asc(sagaTimeline.at), asc(sagaTimeline.id));
}
