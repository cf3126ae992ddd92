import { rowOf, statement, type Transaction } from '@saga/shared/db';
import type { ItemQuantity } from '@saga/shared/events';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ReservationStatus } from '../domain/reservation.js';
import { stockReservations } from './schema.js';

export type Reservation = typeof stockReservations.$inferSelect;

const reservationOf = rowOf(stockReservations);

const reserve = statement<{
  orderId: string;
  status: ReservationStatus;
  items: string;
  reason: string | null;
}>(sql`
  INSERT INTO ${stockReservations} (order_id, status, items, reason)
  VALUES (${sql.placeholder('orderId')}, ${sql.placeholder('status')},
    ${sql.placeholder('items')}::jsonb, ${sql.placeholder('reason')})
  ON CONFLICT (order_id) DO NOTHING
  RETURNING *`);

/**
 * Records the outcome of an order's reservation. Returns undefined when the order already has
 * one: order_id is unique, and a concurrent insert waits for the first to commit, then conflicts.
 */
export async function insertReservation(
  tx: Transaction,
  reservation: {
    orderId: string;
    status: ReservationStatus;
    items: ItemQuantity[];
    reason: string | null;
  },
): Promise<Reservation | undefined> {
  const [inserted] = await reserve(tx, {
    ...reservation,
    items: JSON.stringify(reservation.items),
  });
  return inserted && reservationOf(inserted);
}

/**
 * The semantic lock: moves the order's reservation from one of `expected` to `status`. Returns
 * undefined when it is in no expected state (stale or duplicate event, or no reservation).
 */
export async function transitionReservation(
  tx: Transaction,
  orderId: string,
  expected: readonly ReservationStatus[],
  change: { status: ReservationStatus; reason: string },
): Promise<Reservation | undefined> {
  const [updated] = await tx
    .update(stockReservations)
    .set({
      ...change,
      version: sql`${stockReservations.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(eq(stockReservations.orderId, orderId), inArray(stockReservations.status, [...expected])),
    )
    .returning();
  return updated;
}

export async function findReservation(
  tx: Transaction,
  orderId: string,
): Promise<Reservation | undefined> {
  const [found] = await tx
    .select()
    .from(stockReservations)
    .where(eq(stockReservations.orderId, orderId));
  return found;
}
