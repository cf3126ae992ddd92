/** Order states of the saga; clients and tests depend on these exact names. */
export const ORDER_STATUSES = [
  'PENDING',
  'PAID',
  'STOCK_RESERVED',
  'COMPENSATING',
  'COMPLETED',
  'CANCELED',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const FAILURE_REASONS = [
  'PAYMENT_DECLINED',
  'OUT_OF_STOCK',
  'DELIVERY_FAILED',
  'TIMED_OUT',
] as const;

export type FailureReason = (typeof FAILURE_REASONS)[number];

/** How far along a saga is; a status may only move to a later one. The two ends tie. */
const PROGRESS: Readonly<Record<OrderStatus, number>> = {
  PENDING: 0,
  PAID: 1,
  STOCK_RESERVED: 2,
  COMPENSATING: 3,
  COMPLETED: 4,
  CANCELED: 4,
};

export function isTerminal(status: OrderStatus): boolean {
  return status === 'COMPLETED' || status === 'CANCELED';
}

/**
 * Whether an order may move from `from` to `to`. Early facts may skip states (PENDING straight to
 * COMPENSATING when a reservation failure arrives before the payment), but never go back, never
 * leave a terminal state, and a saga that started compensating can only end canceled.
 */
export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  if (isTerminal(from) || PROGRESS[to] <= PROGRESS[from]) return false;
  return !(from === 'COMPENSATING' && to === 'COMPLETED');
}

/** The statuses an order may be in to move to `to`: the `expected` set of the semantic lock. */
export function allowedPredecessors(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((from) => canMove(from, to));
}
