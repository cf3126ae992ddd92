import type { ItemQuantity } from '@saga/shared/events';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { RESERVATION_STATUSES, type ReservationStatus } from '../domain/reservation.js';

export const products = pgTable('products', {
  productId: text('product_id').primaryKey(),
  name: text('name').notNull(),
  priceMinor: bigint('price_minor', { mode: 'number' }).notNull(),
  currency: text('currency').notNull(),
  /** Sold through order-service's Redis gate, which refuses buyers at the door once sold out. */
  hotDeal: boolean('hot_deal').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Stock per product. The CHECK constraints are the last line of defence: reservations already
 * never take more than is available (one conditional update), so a violation is a bug.
 */
export const inventory = pgTable(
  'inventory',
  {
    productId: text('product_id')
      .primaryKey()
      .references(() => products.productId),
    availableQuantity: integer('available_quantity').notNull(),
    /** Reserved for orders in flight or shipped (stock of completed orders stays here). */
    reservedQuantity: integer('reserved_quantity').notNull().default(0),
    version: integer('version').notNull().default(0),
  },
  (table) => [
    check('inventory_available_not_negative', sql`${table.availableQuantity} >= 0`),
    check('inventory_reserved_not_negative', sql`${table.reservedQuantity} >= 0`),
  ],
);

/** One row per order, whatever the outcome: the unique order_id makes a second reservation fail. */
export const stockReservations = pgTable(
  'stock_reservations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: text('order_id').notNull().unique(),
    status: text('status').$type<ReservationStatus>().notNull(),
    items: jsonb('items').$type<ItemQuantity[]>().notNull(),
    reason: text('reason'),
    version: integer('version').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check(
      'stock_reservations_status_known',
      sql`${table.status} IN (${sql.raw(RESERVATION_STATUSES.map((status) => `'${status}'`).join(', '))})`,
    ),
  ],
);
