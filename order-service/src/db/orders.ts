import { type Database, rowOf, type Statement, statement, type Transaction } from '@saga/shared/db';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { allowedPredecessors, isTerminal, type OrderStatus } from '../domain/order-status.js';
import type { PricedItem } from '../domain/pricing.js';
import { currentStep, type SagaState } from '../domain/saga-state.js';
import type { Executor } from './executor.js';
import type { TimelineEntry } from './saga.js';
import {
  type OrderRow,
  orderItems,
  orders,
  type ShippingAddress,
  sagaInstances,
  sagaTimeline,
} from './schema.js';

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
  /** When the saga is canceled TIMED_OUT unless it has ended. */
  deadlineAt: Date;
}

/** The saga's first timeline entry, the `order.created` the order is placed with. */
export interface FirstEvent {
  eventId: string;
  type: string;
  service: string;
}

const value = sql.placeholder;

const placeOrder = statement<{
  id: string;
  customerId: string;
  amountMinor: number;
  currency: string;
  shippingAddress: string;
  idempotencyKey: string;
  requestHash: string;
  createdAt: Date;
  deadlineAt: Date;
  lines: string;
  firstStep: string;
  eventId: string;
  type: string;
  service: string;
}>(sql`
  WITH placed AS (
    INSERT INTO ${orders} (id, customer_id, amount_minor, currency, shipping_address,
      idempotency_key, request_hash, created_at, updated_at)
    VALUES (${value('id')}, ${value('customerId')}, ${value('amountMinor')}, ${value('currency')},
      ${value('shippingAddress')}::jsonb, ${value('idempotencyKey')}, ${value('requestHash')},
      ${value('createdAt')}, ${value('createdAt')})
    RETURNING id
  ), lines AS (
    INSERT INTO ${orderItems} (order_id, position, product_id, name, unit_price_minor, quantity)
    SELECT placed.id, line."position", line."productId", line.name, line."unitPriceMinor",
      line.quantity
    FROM placed, jsonb_to_recordset(${value('lines')}::jsonb) AS line(
      "position" integer, "productId" text, name text, "unitPriceMinor" bigint, quantity integer)
  ), saga AS (
    INSERT INTO ${sagaInstances} (order_id, status, current_step, started_at, updated_at,
      deadline_at)
    SELECT id, 'PENDING', ${value('firstStep')}, ${value('createdAt')}, ${value('createdAt')},
      ${value('deadlineAt')}
    FROM placed
  )
  INSERT INTO ${sagaTimeline} (order_id, event_id, type, service, at)
  SELECT id, ${value('eventId')}, ${value('type')}, ${value('service')}, ${value('createdAt')}
  FROM placed`);

/**
 * Inserts the order, its lines, its saga record and the saga's first timeline entry in one
 * statement: a round trip each would cost more than the work. Foreign keys are checked at the
 * statement's end, after every part of it. Fails on a reused idempotency key (unique violation).
 */
export function orderInsert(order: NewOrder, firstEvent: FirstEvent): Statement {
  const lines = order.items.map((item, position) => ({ ...item, position }));
  return placeOrder.bind({
    ...order,
    ...firstEvent,
    shippingAddress: JSON.stringify(order.shippingAddress),
    lines: JSON.stringify(lines),
    firstStep: currentStep('PENDING'),
  });
}

export async function findOrderByIdempotencyKey(
  executor: Executor,
  customerId: string,
  idempotencyKey: string,
) {
  const [found] = await executor
    .select({ id: orders.id, requestHash: orders.requestHash })
    .from(orders)
    .where(and(eq(orders.customerId, customerId), eq(orders.idempotencyKey, idempotencyKey)));
  return found;
}

/** What GET /orders/:id shows: the order with its lines and its saga timeline. */
export interface OrderView {
  order: OrderRow;
  items: { productId: string; name: string; quantity: number; unitPriceMinor: number }[];
  timeline: { type: string; service: string; eventId: string; at: string }[];
}

/**
 * Reads an order with its lines and its timeline in one statement: one snapshot without a
 * transaction's extra round trips. The statement is prepared once per connection.
 */
export function orderViews(db: Database): (id: string) => Promise<OrderView | undefined> {
  const prepared = db
    .select({
      order: orders,
      items: sql<OrderView['items']>`(
        SELECT coalesce(json_agg(json_build_object('productId', i.product_id, 'name', i.name,
          'quantity', i.quantity, 'unitPriceMinor', i.unit_price_minor) ORDER BY i.position), '[]')
        FROM ${orderItems} i WHERE i.order_id = orders.id)`,
      timeline: sql<OrderView['timeline']>`(
        SELECT coalesce(json_agg(json_build_object('type', t.type, 'service', t.service,
          'eventId', t.event_id, 'at', t.at) ORDER BY t.at, t.id), '[]')
        FROM ${sagaTimeline} t WHERE t.order_id = orders.id)`,
    })
    .from(orders)
    .where(eq(orders.id, sql.placeholder('id')))
    .prepare('order_view');
  return async (id) => (await prepared.execute({ id }))[0];
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

const orderOf = rowOf(orders);

/** Moves an order and its saga record, and writes the entry of its end (see moveOrder). */
const move = statement<{
  id: string;
  status: OrderStatus;
  failureReason: SagaState['failureReason'];
  from: OrderStatus[];
  step: string;
  ends: boolean;
  endEventId: string | null;
  endType: string | null;
  endAt: Date | null;
}>(sql`
  WITH moved AS (
    UPDATE ${orders}
    SET status = ${value('status')}, failure_reason = ${value('failureReason')},
      version = version + 1, updated_at = now()
    WHERE id = ${value('id')} AND status = ANY(${value('from')}::order_status[])
    RETURNING *
  ), saga_moved AS (
    UPDATE ${sagaInstances}
    SET status = ${value('status')}, current_step = ${value('step')},
      updated_at = now(),
      completed_at = CASE WHEN ${value('ends')}::boolean THEN now() ELSE completed_at END
    WHERE order_id IN (SELECT id FROM moved)
  ), ended AS (
    INSERT INTO ${sagaTimeline} (order_id, event_id, type, service, at)
    SELECT id, ${value('endEventId')}, ${value('endType')}, 'order', ${value('endAt')}
    FROM moved WHERE ${value('endEventId')}::text IS NOT NULL
  )
  SELECT * FROM moved`);

/**
 * The semantic lock: moves the order to `next` only from a status that may precede it, bumping
 * its version, and the saga record with it, in one statement; a move to a terminal status also
 * writes `ending`, the timeline entry of the event that announces it. No row back means the move
 * is stale (the order is already there, further, or ended): the caller logs and counts it, and
 * must not throw.
 */
export async function moveOrder(
  tx: Transaction,
  id: string,
  next: SagaState,
  ending?: TimelineEntry,
): Promise<OrderRow | undefined> {
  const [row] = await move(tx, {
    id,
    status: next.status,
    failureReason: next.failureReason,
    from: allowedPredecessors(next.status),
    step: currentStep(next.status),
    ends: isTerminal(next.status),
    endEventId: ending?.eventId ?? null,
    endType: ending?.type ?? null,
    endAt: ending?.at ?? null,
  });
  return row && orderOf(row);
}
