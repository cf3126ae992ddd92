import { Counter, type Registry } from 'prom-client';
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
}

export function createSagaMetrics(registry: Registry): SagaMetrics {
  const events = new Counter({
    name: 'saga_order_saga_events_total',
    help: 'Saga events applied by order-service, by topic and outcome (moved, recorded, stale)',
    labelNames: ['topic', 'outcome'] as const,
    registers: [registry],
  });
  return { count: (topic, outcome) => events.inc({ topic, outcome }) };
}
