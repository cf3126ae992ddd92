import { Counter, Histogram, type Registry } from 'prom-client';
import type { OrderRow } from '../db/schema.js';
import type { OrderStatus } from '../domain/order-status.js';
import type { SagaTopic } from '../domain/saga-state.js';

/**
 * - `moved`: the order changed status;
 * - `recorded`: a fact was noted without changing the status (an early compensation event, or a
 *   fact already seen);
 * - `stale`: the semantic lock refused the move (late or contradicting event, or the order ended).
 */
export type SagaOutcome = 'moved' | 'recorded' | 'stale';

export interface SagaMetrics {
  count(topic: SagaTopic, outcome: SagaOutcome): void;
  /** A saga that has just ended, with the order as it ended. */
  ended(order: Pick<OrderRow, 'status' | 'failureReason' | 'createdAt'>): void;
  /** A saga canceled at its deadline, from the status it was still in. */
  timedOut(from: OrderStatus): void;
}

export function createSagaMetrics(registry: Registry): SagaMetrics {
  const events = new Counter({
    name: 'saga_order_saga_events_total',
    help: 'Saga events applied by order-service, by topic and outcome (moved, recorded, stale)',
    labelNames: ['topic', 'outcome'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'saga_duration_seconds',
    help: 'Sagas from the order placed to its end, by outcome (COMPLETED, CANCELED) and reason',
    labelNames: ['outcome', 'reason'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const deadlineCancellations = new Counter({
    name: 'saga_deadline_cancellations_total',
    help: 'Orders canceled TIMED_OUT at their saga deadline, by the status they were still in',
    labelNames: ['from'] as const,
    registers: [registry],
  });
  return {
    timedOut: (from) => deadlineCancellations.inc({ from }),
    count: (topic, outcome) => events.inc({ topic, outcome }),
    ended: (order) =>
      durations.observe(
        { outcome: order.status, reason: order.failureReason ?? '' },
        (Date.now() - order.createdAt.getTime()) / 1000,
      ),
  };
}
