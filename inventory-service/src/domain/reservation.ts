import type { ItemQuantity } from '@saga/shared/events';

/** A reservation is written once per order, RESERVED or FAILED; only RESERVED moves on. */
export const RESERVATION_STATUSES = ['RESERVED', 'FAILED', 'RELEASED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** Why an order could not be reserved (`stock.reservation-failed` reason). */
export type ReservationFailure = 'OUT_OF_STOCK' | 'UNKNOWN_PRODUCT';

/** Why reserved stock went back to available (`stock.released` reason). */
export type ReleaseReason = 'DELIVERY_FAILED' | 'TIMED_OUT';

/**
 * Why these order lines can never be reserved, or undefined when they can. Such lines come from a
 * producer bug: a non-positive quantity would add stock instead of taking it.
 */
export function unreservableLines(items: readonly ItemQuantity[]): string | undefined {
  if (items.length === 0) return 'the order has no items';
  const bad = items.find((item) => !Number.isInteger(item.quantity) || item.quantity <= 0);
  return bad && `quantity ${bad.quantity} of product ${bad.productId} is not a positive integer`;
}

/**
 * The lines to reserve: one per product (repeated products summed), in product-id order. Every
 * transaction takes its row locks in this one order, so concurrent orders cannot deadlock.
 */
export function reservationLines(items: readonly ItemQuantity[]): ItemQuantity[] {
  const quantities = new Map<string, number>();
  for (const { productId, quantity } of items) {
    quantities.set(productId, (quantities.get(productId) ?? 0) + quantity);
  }
  return [...quantities]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([productId, quantity]) => ({ productId, quantity }));
}
