import { Counter, type Registry } from 'prom-client';

/** The payment-service's own metrics, on the service's registry next to the platform's. */
export function createPaymentMetrics(registry: Registry) {
  const registers = [registry];
  return {
    intents: new Counter({
      name: 'saga_payment_intents_total',
      help: 'Charge, refund and deadline-cancellation intents by outcome (recorded, duplicate, ...)',
      labelNames: ['kind', 'outcome'] as const,
      registers,
    }),
    /** Compensations made, by kind (`refund` here; inventory counts `release`) and saga failure. */
    compensations: new Counter({
      name: 'saga_compensations_total',
      help: 'Compensations made, by kind (refund, release) and the failure they compensate',
      labelNames: ['kind', 'reason'] as const,
      registers,
    }),
    refusedRefunds: new Counter({
      name: 'saga_payment_refunds_refused_total',
      help: 'Refunds the gateway refused for good, by the failure they compensate: left to an operator',
      labelNames: ['reason'] as const,
      registers,
    }),
    settlements: new Counter({
      name: 'saga_payment_settlements_total',
      help: 'Settlement attempts by outcome (completed, failed, retried, stale)',
      labelNames: ['kind', 'outcome'] as const,
      registers,
    }),
  };
}

export type PaymentMetrics = ReturnType<typeof createPaymentMetrics>;
