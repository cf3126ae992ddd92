import { randomUUID } from 'node:crypto';
import type { Transaction } from '@saga/shared/db';
import type { DeliveryDecision } from '../domain/delivery-decision.js';
import { type Delivery, deliveries } from './schema.js';

/**
 * Records the delivery of an order as decided. Returns undefined when the order already has one:
 * the unique order id turns a repeated request into a no-op, even between concurrent callers.
 */
export async function createDelivery(
  tx: Transaction,
  order: { orderId: string; postalCode: string },
  decision: DeliveryDecision,
): Promise<Delivery | undefined> {
  const [created] = await tx
    .insert(deliveries)
    .values({
      id: randomUUID(),
      orderId: order.orderId,
      postalCode: order.postalCode,
      status: decision.status,
      reason: decision.status === 'FAILED' ? decision.reason : null,
    })
    .onConflictDoNothing({ target: deliveries.orderId })
    .returning();
  return created;
}
