import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { DeliveryFailureReason } from '../domain/delivery-decision.js';

/** CANCELED: the order was canceled first (a deadline passed); no delivery may start for it. */
export type DeliveryStatus = 'STARTED' | 'FAILED' | 'CANCELED';

/** One delivery per order: the unique order id makes a second `stock.reserved` a no-op. */
export const deliveries = pgTable(
  'deliveries',
  {
    id: uuid('id').primaryKey(),
    orderId: text('order_id').notNull().unique(),
    status: text('status').$type<DeliveryStatus>().notNull(),
    /** Unknown for a delivery canceled before it was asked for. */
    postalCode: text('postal_code'),
    /** Why the delivery failed; null while it is not failed. */
    reason: text('reason').$type<DeliveryFailureReason>(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('deliveries_status_check', sql`${table.status} IN ('STARTED', 'FAILED', 'CANCELED')`),
    check(
      'deliveries_reason_check',
      sql`(${table.status} = 'FAILED') = (${table.reason} IS NOT NULL)`,
    ),
  ],
);

export type Delivery = typeof deliveries.$inferSelect;
