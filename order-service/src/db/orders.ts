import type { Transaction } from '@saga/shared/db';
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { allowedPredecessors, type OrderStatus } from '../domain/order-status.js';
import type { PricedItem } from '../domain/pricing.js';
import type { SagaState } from '../domain/saga-state.js';
import type { Executor } from './executor.js';
import { type OrderRow, orderItems, orders, type ShippingAddress } from './schema.js';

export interface NewOrder {
  id: string;
  customerId: string;
  items: readonly PricedItem[];
  amountMinor: number;
  currency: string;
  shippingAddress: ShippingAddress;
  idempotencyKey: string;
  requestHash: string;
  createdAt: Date;
}

/** Inserts the order and its lines; fails on a reused idempotency key (unique violation). */
export async function insertOrder(tx: Transaction, order: NewOrder): Promise<void> {
  const { items, ...row } = order;
  await tx.insert(orders).values({ ...row, updatedAt: order.createdAt });
  await tx
    .insert(orderItems)
    .values(items.map((item, position) => ({ ...item, orderId: order.id, position })));
}

export async function findOrderByIdempotencyKey(executor: Executor, idempotencyKey: string) {
  const [found] = await executor
    .select({ id: orders.id, requestHash: orders.requestHash })
    .from(orders)
    .where(eq(orders.idempotencyKey, idempotencyKey));
  return found;
}

export async function findOrder(executor: Executor, id: string): Promise<OrderRow | undefined> {
  const [found] = await executor.select().from(orders).where(eq(orders.id, id));
  return found;
}

/** The order's status alone: one cheap query, what a waiting GET re-reads each time it wakes. */
export async function findOrderStatus(
  executor: Executor,
  id: string,
): Promise<OrderStatus | undefined> {
  const [found] = await executor
    .select({ status: orders.status })
    .from(orders)
    .where(eq(orders.id, id));
  return found?.status;
}

export function findOrderItems(executor: Executor, orderId: string) {
  return executor
    .select({
      productId: orderItems.productId,
      name: orderItems.name,
      quantity: orderItems.quantity,
      unitPriceMinor: orderItems.unitPriceMinor,
    })
    .from(orderItems)
    .where(eq(orderItems.orderId, orderId))
    .orderBy(asc(orderItems.position));
}

/** Where a page of the newest-first listing starts: after this (createdAt, id). */
export interface OrderPosition {
  createdAt: Date;
  id: string;
}

export interface OrderFilter {
  customerId?: string | undefined;
  status?: OrderStatus | undefined;
  after?: OrderPosition | undefined;
  limit: number;
}

/** Keyset pagination on (created_at DESC, id DESC), served by the matching indexes. */
export function listOrders(executor: Executor, filter: OrderFilter): Promise<OrderRow[]> {
  const conditions: SQL[] = [];
  if (filter.customerId !== undefined) conditions.push(eq(orders.customerId, filter.customerId));
  if (filter.status !== undefined) conditions.push(eq(orders.status, filter.status));
  if (filter.after) {
    conditions.push(
      sql`(${orders.createdAt}, ${orders.id}) < (${filter.after.createdAt.toISOString()}::timestamptz, ${filter.after.id}::uuid)`,
    );
  }
  return executor
    .select()
    .from(orders)
    .where(and(...conditions))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(filter.limit);
}

/**
 * The semantic lock: moves the order to `next` only from a status that may precede it, bumping
 * its version. No row back means the move is stale (the order is already there, further, or
 * ended): the caller logs and counts it, and must not throw.
 */
export async function moveOrder(
  tx: Transaction,
  id: string,
  next: SagaState,
): Promise<OrderRow | undefined> {
  const [moved] = await tx
    .update(orders)
    .set({
      status: next.status,
      failureReason: next.failureReason,
      version: sql`${orders.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(orders.id, id), inArray(orders.status, allowedPredecessors(next.status))))
    .returning();
  return moved;
}
