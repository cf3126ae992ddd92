import type { ItemQuantity, ShippingAddress } from '@saga/shared/events';
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import type { PaymentKind, PaymentStatus } from '../domain/payment.js';

/**
 * Charges and refunds, one row each per order at most. A row is recorded PENDING by an event
 * handler and settled against the gateway by the settler, outside any handler transaction.
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: text('order_id').notNull(),
    kind: text('kind').$type<PaymentKind>().notNull(),
    status: text('status').$type<PaymentStatus>().notNull().default('PENDING'),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    customerId: text('customer_id').notNull(),
    /** Refund: the failure it compensates. Failed charge: why it failed. */
    reason: text('reason'),
    /** Failed charge: the gateway's detail, e.g. its decline code. */
    details: text('details'),
    /** The gateway's charge id (CHARGE) or refund id (REFUND) once settled. */
    gatewayTransactionId: text('gateway_transaction_id'),
    /** The eventId of the event that asked for this payment: the causationId of what it emits. */
    causationId: text('causation_id').notNull(),
    /** Charge only: what `payment.completed` carries downstream. */
    items: jsonb('items').$type<ItemQuantity[]>(),
    shippingAddress: jsonb('shipping_address').$type<ShippingAddress>(),
    /** Charge only: the card token, kept until the charge settles. Never logged. */
    paymentToken: text('payment_token'),
    /** Trace context of the event that asked for this payment: settling continues its trace. */
    traceContext: jsonb('trace_context').$type<Record<string, string>>().notNull().default({}),
    /** Gateway attempts claimed so far. */
    attempts: integer('attempts').notNull().default(0),
    /** When a settler may next work the row (also the lease of the settler working it). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    /**
     * Charge only: when the order was canceled (its deadline passed). A pending charge is no
     * longer attempted, only looked up, and whatever the gateway charged is refunded.
     */
    orderCanceledAt: timestamp('order_canceled_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique('payments_order_id_kind_unique').on(table.orderId, table.kind),
    check('payments_kind_check', sql`${table.kind} IN ('CHARGE', 'REFUND')`),
    check('payments_status_check', sql`${table.status} IN ('PENDING', 'COMPLETED', 'FAILED')`),
    // The settler's query: due pending rows. Small because settled rows leave it.
    index('payments_due_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'PENDING'`),
  ],
);

export type PaymentRow = typeof payments.$inferSelect;
