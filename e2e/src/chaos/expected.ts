import { isTerminal, type OrderView, type ProductSeed } from '../saga/api.js';
import { CARDS, UNDELIVERABLE_POSTAL_CODE } from '../saga/orders.js';
import type { Placement, PlannedOrder } from './load.js';

/** How the report names an outcome: the status, then the failure reason if there is one. */
export const outcomeName = (order: { status: string; failureReason?: string | null }) =>
  [order.status, order.failureReason].filter(Boolean).join(' ');

/** Open to every order: a fault may hold any saga past its deadline. */
export const TIMED_OUT = 'CANCELED TIMED_OUT';

/**
 * The outcomes each planned order may end with, in plan order. What it was sent with decides
 * them, never the faults: a declined card is declined, a product ordered beyond its stock may run
 * out, an undeliverable address fails delivery, any other order completes. The one outcome a
 * fault may add is TIMED_OUT; a gateway outage taken for a decline, say, is a finding.
 */
export function allowedOutcomes(
  plan: readonly PlannedOrder[],
  products: readonly ProductSeed[],
): string[][] {
  const ordered = new Map<string, number>();
  for (const { productId, quantity } of plan.flatMap((order) => order.request.items)) {
    ordered.set(productId, (ordered.get(productId) ?? 0) + quantity);
  }
  const scarce = new Set(
    products
      .filter((product) => (ordered.get(product.productId) ?? 0) > product.stock)
      .map((product) => product.productId),
  );
  return plan.map(({ request }) => {
    if (request.paymentMethod.token === CARDS.declined) {
      return ['CANCELED PAYMENT_DECLINED', TIMED_OUT];
    }
    const undeliverable = request.shippingAddress.postalCode === UNDELIVERABLE_POSTAL_CODE;
    const mayRunOut = request.items.some((item) => scarce.has(item.productId));
    return [
      undeliverable ? 'CANCELED DELIVERY_FAILED' : 'COMPLETED',
      ...(mayRunOut ? ['CANCELED OUT_OF_STOCK'] : []),
      TIMED_OUT,
    ];
  });
}

/**
 * The ended orders whose outcome `allowed` (per placement, in the same order) does not permit,
 * one line each with what it permits. Orders not ended are the stuck sagas' report, not this one.
 */
export function unexpectedOutcomes(
  placed: readonly Placement[],
  allowed: readonly (readonly string[])[],
  views: readonly OrderView[],
): string[] {
  const viewById = new Map(views.map((view) => [view.orderId, view]));
  return placed.flatMap((placement, index) => {
    const view = placement.orderId ? viewById.get(placement.orderId) : undefined;
    if (!view || !isTerminal(view.status)) return [];
    const outcome = outcomeName(view);
    const expected = allowed[index] ?? [];
    return expected.includes(outcome)
      ? []
      : [`${view.orderId}: ${outcome}, expected ${expected.join(' or ')}`];
  });
}
