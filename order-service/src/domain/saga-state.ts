import type { FailureReason, OrderStatus } from './order-status.js';

/** The events of other services that move an order's saga, by topic. */
export const SAGA_TOPICS = [
  'payment.completed',
  'payment.failed',
  'payment.refunded',
  'payment.refund-failed',
  'stock.reserved',
  'stock.reservation-failed',
  'stock.released',
  'delivery.started',
  'delivery.failed',
] as const;

export type SagaTopic = (typeof SAGA_TOPICS)[number];

/** The facts seen so far for one saga: the topics of the events that arrived, in any order. */
export type SagaFacts = ReadonlySet<SagaTopic>;

export interface SagaState {
  status: OrderStatus;
  failureReason: FailureReason | null;
}

const state = (status: OrderStatus, failureReason: FailureReason | null = null): SagaState => ({
  status,
  failureReason,
});

/**
 * The state an order is in given every fact seen, whatever order they arrived in (events of one
 * saga travel on different topics). Failures win over progress; a compensating saga ends once
 * every compensation it needs has been seen. A refused refund moves nothing: the saga stays where
 * it is, stuck, until a retried refund brings `payment.refunded`.
 */
export function deriveSagaState(facts: SagaFacts): SagaState {
  if (facts.has('payment.failed')) return state('CANCELED', 'PAYMENT_DECLINED');
  if (facts.has('stock.reservation-failed')) {
    return facts.has('payment.refunded')
      ? state('CANCELED', 'OUT_OF_STOCK')
      : state('COMPENSATING');
  }
  if (facts.has('delivery.failed')) {
    return facts.has('stock.released') && facts.has('payment.refunded')
      ? state('CANCELED', 'DELIVERY_FAILED')
      : state('COMPENSATING');
  }
  if (facts.has('delivery.started')) return state('COMPLETED');
  if (facts.has('stock.reserved')) return state('STOCK_RESERVED');
  if (facts.has('payment.completed')) return state('PAID');
  return state('PENDING');
}

/** What the saga waits for in each status, kept on the saga record for operators. */
export function currentStep(status: OrderStatus): string {
  switch (status) {
    case 'PENDING':
      return 'payment';
    case 'PAID':
      return 'stock-reservation';
    case 'STOCK_RESERVED':
      return 'delivery';
    case 'COMPENSATING':
      return 'compensation';
    case 'COMPLETED':
    case 'CANCELED':
      return 'done';
  }
}

/** The events order-service emits itself, which its timeline shows too. */
export type OrderTopic = 'order.created' | 'order.completed' | 'order.canceled';

/** The service that produces each event of the timeline. */
export function producerOf(
  topic: SagaTopic | OrderTopic,
): 'order' | 'payment' | 'inventory' | 'delivery' {
  if (topic.startsWith('order.')) return 'order';
  if (topic.startsWith('payment.')) return 'payment';
  if (topic.startsWith('stock.')) return 'inventory';
  return 'delivery';
}
