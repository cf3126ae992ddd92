import type { OrderRow } from '../db/schema.js';

/**
 * Whether a hold's units go back to the gate's counter when its order ended so (undefined: the
 * order was never placed, or still runs past the hold's expiry). A completed order sold them.
 * After OUT_OF_STOCK inventory said the units were not there: the counter was high (a gate that
 * failed open, a stale seed), and keeping them off brings it back to the truth instead of letting
 * the next buyer be charged and refunded for the same missing unit.
 */
export function restoresUnits(
  order: Pick<OrderRow, 'status' | 'failureReason'> | undefined,
): boolean {
  if (!order) return true;
  if (order.status === 'COMPLETED') return false;
  return order.failureReason !== 'OUT_OF_STOCK';
}
