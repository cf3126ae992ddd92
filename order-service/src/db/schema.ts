import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { FAILURE_REASONS, ORDER_STATUSES } from '../domain/order-status.js';

/** Millisecond precision: a timestamp read into a JS Date and written back compares equal. */
const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const money = (name: string) => bigint(name, { mode: 'number' });

export const orderStatus = pgEnum('order_status', ORDER_STATUSES);
export const failureReason = pgEnum('failure_reason', FAILURE_REASONS);

/** The local replica of `product.upserted`: orders are priced from it, never from the client. */
export const products = pgTable('products', {
  productId: text('product_id').primaryKey(),
  name: text('name').notNull(),
  priceMinor: money('price_minor').notNull(),
  currency: text('currency').notNull(),
  /** The stock inventory last set: where a hot deal's gate counter is seeded from. */
  stock: integer('stock').notNull().default(0),
  /** Orders of a hot deal pass the Redis gate first, which refuses them once sold out. */
  hotDeal: boolean('hot_deal').notNull().default(false),
  /** occurredAt of the event applied last: an older event arriving later must not regress it. */
  occurredAt: instant('occurred_at').notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export interface ShippingAddress {
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

export const orders = pgTable(
  'orders',
  {
    /** Also the saga id: every event of the saga carries it as orderId. */
    id: uuid('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    status: orderStatus('status').notNull().default('PENDING'),
    failureReason: failureReason('failure_reason'),
    amountMinor: money('amount_minor').notNull(),
    currency: text('currency').notNull(),
    shippingAddress: jsonb('shipping_address').$type<ShippingAddress>().notNull(),
    version: integer('version').notNull().default(1),
    /** The truth behind Idempotency-Key, per customer: Redis only caches it. */
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (table) => [
    // Keyset pagination, newest first: a backward scan gives ORDER BY created_at DESC, id DESC
    // (an index declared DESC would put NULLs last and no longer match that ORDER BY).
    index('orders_created_at_id_idx').on(table.createdAt, table.id),
    index('orders_customer_created_at_id_idx').on(table.customerId, table.createdAt, table.id),
    // Keys are the customer's own: another customer's key never collides with theirs.
    unique('orders_customer_idempotency_key_unique').on(table.customerId, table.idempotencyKey),
  ],
);

/** Order lines; name and unit price are snapshotted from the replica when the order is placed. */
export const orderItems = pgTable(
  'order_items',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    position: integer('position').notNull(),
    productId: text('product_id').notNull(),
    name: text('name').notNull(),
    unitPriceMinor: money('unit_price_minor').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (table) => [primaryKey({ columns: [table.orderId, table.position] })],
);

/**
 * One saga per order: its status (mirrors the order's) and every fact seen, as the time each
 * was first seen. The state is derived from the facts, so any arrival order ends the same way.
 */
export const sagaInstances = pgTable(
  'saga_instances',
  {
    orderId: uuid('order_id')
      .primaryKey()
      .references(() => orders.id),
    status: orderStatus('status').notNull().default('PENDING'),
    currentStep: text('current_step').notNull(),
    paymentCompletedAt: instant('payment_completed_at'),
    paymentFailedAt: instant('payment_failed_at'),
    paymentRefundedAt: instant('payment_refunded_at'),
    stockReservedAt: instant('stock_reserved_at'),
    stockReservationFailedAt: instant('stock_reservation_failed_at'),
    stockReleasedAt: instant('stock_released_at'),
    deliveryStartedAt: instant('delivery_started_at'),
    deliveryFailedAt: instant('delivery_failed_at'),
    /** A refund payment could not make (the gateway refused it): the saga is stuck until retried. */
    paymentRefundFailedAt: instant('payment_refund_failed_at'),
    /** Why that refund failed, as payment reported it last. */
    compensationFailure: text('compensation_failure'),
    startedAt: instant('started_at').notNull().defaultNow(),
    /** When an order not ended by then is canceled TIMED_OUT; set when the order is placed. */
    deadlineAt: instant('deadline_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    completedAt: instant('completed_at'),
  },
  (table) => [
    // The deadline keeper's and the stuck listing's scans: only sagas still under way.
    index('saga_instances_open_deadline_idx')
      .on(table.deadlineAt)
      .where(sql`${table.status} NOT IN ('COMPLETED', 'CANCELED')`),
    // Refused compensations wait for an operator, on sagas that may have ended.
    index('saga_instances_refund_failed_idx')
      .on(table.paymentRefundFailedAt)
      .where(
        sql`${table.paymentRefundFailedAt} IS NOT NULL AND ${table.paymentRefundedAt} IS NULL`,
      ),
  ],
);

/** Every event seen for an order, including the ones order-service emits itself. */
export const sagaTimeline = pgTable(
  'saga_timeline',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    eventId: uuid('event_id').notNull().unique(),
    /** The event's topic. */
    type: text('type').notNull(),
    /** The service that produced it. */
    service: text('service').notNull(),
    /** When it happened (the event's occurredAt). */
    at: instant('at').notNull(),
  },
  (table) => [index('saga_timeline_order_id_idx').on(table.orderId, table.at)],
);

export type OrderRow = typeof orders.$inferSelect;
export type SagaInstanceRow = typeof sagaInstances.$inferSelect;
