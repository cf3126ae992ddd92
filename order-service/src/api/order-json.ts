import type { OrderView } from '../db/orders.js';
import type { OrderRow } from '../db/schema.js';

/** An order as the API shows it in listings; GET /orders/:id adds items and timeline. */
export function orderSummaryJson(order: OrderRow) {
  return {
    orderId: order.id,
    customerId: order.customerId,
    status: order.status,
    amountMinor: order.amountMinor,
    currency: order.currency,
    failureReason: order.failureReason,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

/** A saga timeline as the API shows it: JSON timestamps as ISO instants. */
export const timelineJson = (timeline: OrderView['timeline']) =>
  timeline.map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() }));
