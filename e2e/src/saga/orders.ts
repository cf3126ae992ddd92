import { randomUUID } from 'node:crypto';
import type { OrderRequest } from './api.js';

/** The gateway simulator's card tokens. */
export const CARDS = {
  approved: 'tok_ok',
  declined: 'tok_decline',
  /** Charges, but the first call answers with a timeout: recovery settles it. */
  timedOutButCharged: 'tok_timeout_charged',
} as const;

/** The postal code no carrier serves: delivery fails on purpose. */
export const UNDELIVERABLE_POSTAL_CODE = '00000';

export interface OrderSpec {
  customerId: string;
  productId: string;
  quantity?: number;
  token?: string;
  postalCode?: string;
}

/** A valid order of one product line; each field of the spec varies one saga outcome. */
export function orderRequest(spec: OrderSpec): OrderRequest {
  return {
    customerId: spec.customerId,
    items: [{ productId: spec.productId, quantity: spec.quantity ?? 1 }],
    shippingAddress: {
      line1: 'Rua Augusta 100',
      city: 'Lisboa',
      postalCode: spec.postalCode ?? '1100-053',
      country: 'PT',
    },
    paymentMethod: { type: 'card', token: spec.token ?? CARDS.approved },
  };
}

/** A fresh Idempotency-Key: one per order unless a test repeats a request on purpose. */
export const newIdempotencyKey = () => randomUUID();
