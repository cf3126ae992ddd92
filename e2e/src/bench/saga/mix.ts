import { CARDS, type OrderSpec, UNDELIVERABLE_POSTAL_CODE } from '../../saga/orders.js';

/** What a benchmark order is meant to do, and how its saga should end. */
export const OUTCOMES = {
  ok: 'COMPLETED',
  declined: 'CANCELED PAYMENT_DECLINED',
  'out-of-stock': 'CANCELED OUT_OF_STOCK',
  undeliverable: 'CANCELED DELIVERY_FAILED',
} as const;
export type Kind = keyof typeof OUTCOMES;
export type Mix = Record<Kind, number>;

export const DEFAULT_MIX: Mix = { ok: 85, declined: 5, 'out-of-stock': 5, undeliverable: 5 };

/** `ok=85,declined=5,out-of-stock=5,undeliverable=5`: weights of each kind (missing ones 0). */
export function parseMix(text: string): Mix {
  const mix: Mix = { ok: 0, declined: 0, 'out-of-stock': 0, undeliverable: 0 };
  for (const part of text.split(',')) {
    const [kind, weight] = part.split('=');
    if (!(kind! in mix) || !/^\d+$/.test(weight ?? '')) {
      throw new Error(`--mix: expected kind=weight[,...] of ${Object.keys(mix).join(', ')}`);
    }
    mix[kind as Kind] = Number(weight);
  }
  if (Object.values(mix).every((weight) => weight === 0)) throw new Error('--mix: all weights 0');
  return mix;
}

/** Products whose stock never runs out, spread so orders do not all lock one inventory row. */
export const PRODUCTS_IN_STOCK = 16;
export const SOLD_OUT_PRODUCT = 'bench-sold-out';
export const productInStock = (index: number) => `bench-product-${index % PRODUCTS_IN_STOCK}`;

/**
 * The kind of the n-th order: the weights laid out evenly over each block of their sum (so any
 * stretch of orders holds the mix), in a fixed order that interleaves the kinds.
 */
export function kindOf(mix: Mix, n: number): Kind {
  const total = Object.values(mix).reduce((sum, weight) => sum + weight, 0);
  // A step coprime to the sum visits every slot once per block, and spreads the kinds out.
  const step = [37, 41, 43].find((prime) => total % prime !== 0)!;
  const slot = (n * step) % total;
  let edge = 0;
  for (const [kind, weight] of Object.entries(mix) as [Kind, number][]) {
    edge += weight;
    if (slot < edge) return kind;
  }
  throw new Error('unreachable');
}

export function orderSpec(kind: Kind, n: number): OrderSpec {
  const customerId = `bench-customer-${n % 100}`;
  const productId = kind === 'out-of-stock' ? SOLD_OUT_PRODUCT : productInStock(n);
  return {
    customerId,
    productId,
    ...(kind === 'declined' && { token: CARDS.declined }),
    ...(kind === 'undeliverable' && { postalCode: UNDELIVERABLE_POSTAL_CODE }),
  };
}
