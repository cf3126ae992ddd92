import type { DeliveryRow, OrderRow, PaymentRow, ReservationRow } from './rows.js';

export interface TimedOutFacts {
  orders: readonly OrderRow[];
  payments: readonly PaymentRow[];
  reservations: readonly ReservationRow[];
  deliveries: readonly DeliveryRow[];
  /** Orders with a COMPLETED refund. */
  refunded: ReadonlySet<string>;
}

/**
 * Invariant 7: what orders canceled at their deadline still hold, one line each. A completed
 * charge must be refunded and a pending one would still take money; a reservation must not stay
 * RESERVED nor a delivery STARTED. The tombstones a deadline leaves for a step that had not run
 * yet (a FAILED charge of nothing, a RELEASED reservation of nothing, a CANCELED delivery) hold
 * nothing.
 */
export function heldByTimedOutOrders(facts: TimedOutFacts): string[] {
  const timedOut = new Set(
    facts.orders
      .filter((order) => order.status === 'CANCELED' && order.failure_reason === 'TIMED_OUT')
      .map((order) => order.id),
  );
  const held: string[] = [];
  for (const payment of facts.payments) {
    if (payment.kind !== 'CHARGE' || !timedOut.has(payment.order_id)) continue;
    if (payment.status === 'PENDING') held.push(`${payment.order_id}: TIMED_OUT, charge pending`);
    if (payment.status === 'COMPLETED' && !facts.refunded.has(payment.order_id)) {
      held.push(`${payment.order_id}: TIMED_OUT, charged and not refunded`);
    }
  }
  for (const reservation of facts.reservations) {
    if (reservation.status === 'RESERVED' && timedOut.has(reservation.order_id)) {
      held.push(`${reservation.order_id}: TIMED_OUT, stock still reserved`);
    }
  }
  for (const delivery of facts.deliveries) {
    if (delivery.status === 'STARTED' && timedOut.has(delivery.order_id)) {
      held.push(`${delivery.order_id}: TIMED_OUT, delivery still started`);
    }
  }
  return held;
}
