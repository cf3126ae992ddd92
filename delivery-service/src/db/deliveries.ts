import { randomUUID } from 'node:crypto';
import { rowOf, statement, type Transaction } from '@saga/shared/db';
import { sql } from 'drizzle-orm';
import type { DeliveryDecision } from '../domain/delivery-decision.js';
import { type Delivery, deliveries } from './schema.js';

const deliveryOf = rowOf(deliveries);

const insertDelivery = statement<{
  id: string;
  orderId: string;
  postalCode: string;
  status: string;
  reason: string | null;
}>(sql`
  INSERT INTO ${deliveries} (id, order_id, postal_code, status, reason)
  VALUES (${sql.placeholder('id')}, ${sql.placeholder('orderId')}, ${sql.placeholder('postalCode')},
    ${sql.placeholder('status')}, ${sql.placeholder('reason')})
  ON CONFLICT (order_id) DO NOTHING
  RETURNING *`);

/**
 * Records the delivery of an order as decided. Returns undefined when the order already has one:
 * the unique order id turns a repeated request into a no-op, even between concurrent callers.
 */
export async function createDelivery(
  tx: Transaction,
  order: { orderId: string; postalCode: string },
  decision: DeliveryDecision,
): Promise<Delivery | undefined> {
  const [created] = await insertDelivery(tx, {
    id: randomUUID(),
    orderId: order.orderId,
    postalCode: order.postalCode,
    status: decision.status,
    reason: decision.status === 'FAILED' ? decision.reason : null,
  });
  return created && deliveryOf(created);
}

const cancel = statement<{ id: string; orderId: string }>(sql`
  INSERT INTO ${deliveries} (id, order_id, status)
  VALUES (${sql.placeholder('id')}, ${sql.placeholder('orderId')}, 'CANCELED')
  ON CONFLICT (order_id) DO UPDATE
  SET status = 'CANCELED', version = ${deliveries.version} + 1, updated_at = now()
  WHERE ${deliveries.status} = 'STARTED'
  RETURNING *`);

/**
 * Cancels the order's delivery: a started one is called back; when none was asked for yet, a
 * CANCELED one takes its place, so that a `stock.reserved` arriving later starts nothing. False
 * when there is nothing to cancel (the delivery failed, or was canceled already).
 */
export async function cancelDelivery(tx: Transaction, orderId: string): Promise<boolean> {
  return (await cancel(tx, { id: randomUUID(), orderId })).length > 0;
}
