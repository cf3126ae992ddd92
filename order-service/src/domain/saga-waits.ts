import type { OrderStatus } from './order-status.js';
import { producerOf, type SagaFacts, type SagaTopic } from './saga-state.js';

/** An event a saga still needs, and the service that owes it. */
export interface AwaitedEvent {
  event: SagaTopic;
  service: ReturnType<typeof producerOf>;
}

/** The event each forward step needs next. */
const NEXT_STEP: Partial<Record<OrderStatus, SagaTopic>> = {
  PENDING: 'payment.completed',
  PAID: 'stock.reserved',
  STOCK_RESERVED: 'delivery.started',
};

/** The compensations each failure needs before the saga can end. */
const COMPENSATIONS: [failure: SagaTopic, needs: SagaTopic[]][] = [
  ['stock.reservation-failed', ['payment.refunded']],
  ['delivery.failed', ['payment.refunded', 'stock.released']],
];

/**
 * What a saga in `status` with `facts` waits for: the next step, or the compensations not yet
 * seen. A refund the gateway refused is awaited whatever the status (also on a saga that ended,
 * e.g. canceled at its deadline): the customer is owed money until `payment.refunded` arrives.
 */
export function awaitedEvents(status: OrderStatus, facts: SagaFacts): AwaitedEvent[] {
  const awaited = new Set<SagaTopic>();
  const next = NEXT_STEP[status];
  if (next) awaited.add(next);
  if (status === 'COMPENSATING') {
    for (const [failure, needs] of COMPENSATIONS) {
      if (!facts.has(failure)) continue;
      for (const needed of needs) if (!facts.has(needed)) awaited.add(needed);
    }
  }
  if (refundRefused(facts)) awaited.add('payment.refunded');
  return [...awaited].map((event) => ({ event, service: producerOf(event) }));
}

/** A refund the gateway refused and nobody has made since. */
export const refundRefused = (facts: SagaFacts) =>
  facts.has('payment.refund-failed') && !facts.has('payment.refunded');
