import { createHash } from 'node:crypto';

/** Why a delivery could not start: machine-readable, as carried by `delivery.failed`. */
export type DeliveryFailureReason = 'UNDELIVERABLE_ADDRESS' | 'CARRIER_REJECTED';

export type DeliveryDecision =
  | { status: 'STARTED' }
  | { status: 'FAILED'; reason: DeliveryFailureReason };

export interface CarrierPolicy {
  /** Share of orders the carrier rejects, 0..1. */
  failureRate: number;
  /** Picks which orders those are; the same seed rejects the same orders on every run. */
  seed: string;
}

/** The contract's address no carrier serves: it makes delivery fail on purpose. */
export const UNDELIVERABLE_POSTAL_CODE = '00000';

/**
 * A number in [0, 1) fixed by the seed and the order alone, so whether the carrier rejects an
 * order does not depend on timing, arrival order or which instance handles it.
 */
export function carrierRoll(seed: string, orderId: string): number {
  const digest = createHash('sha256').update(seed).update('\0').update(orderId).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** Whether delivery of an order to `postalCode` can start, and why not when it cannot. */
export function decideDelivery(
  order: { orderId: string; postalCode: string },
  policy: CarrierPolicy,
): DeliveryDecision {
  if (order.postalCode === UNDELIVERABLE_POSTAL_CODE) {
    return { status: 'FAILED', reason: 'UNDELIVERABLE_ADDRESS' };
  }
  if (carrierRoll(policy.seed, order.orderId) < policy.failureRate) {
    return { status: 'FAILED', reason: 'CARRIER_REJECTED' };
  }
  return { status: 'STARTED' };
}
