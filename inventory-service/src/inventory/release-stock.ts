import { ImpossibleEventError } from '@saga/shared/errors';
import { findReservation, insertReservation, transitionReservation } from '../db/reservations.js';
import { returnStock } from '../db/stock.js';
import { type ReleaseReason, reservationLines } from '../domain/reservation.js';
import { stockReleased } from '../events/outgoing.js';
import type { UnitOfWork } from './unit-of-work.js';

/** The event that asks for the release: `delivery.failed`, or `order.canceled` at a deadline. */
interface ReleaseCause {
  eventId: string;
  orderId: string;
}

/**
 * Compensates an order that will not be delivered: its RESERVED stock goes back to available,
 * once, with `stock.released`. A reservation that failed or was released already is left alone.
 * An order canceled at its deadline before it was reserved gets a RELEASED reservation of nothing,
 * so that its `payment.completed`, should it still come, reserves nothing.
 */
export async function releaseStock(
  work: UnitOfWork,
  cause: ReleaseCause,
  reason: ReleaseReason,
): Promise<'released' | 'voided' | 'stale'> {
  const { tx, emit } = work; // not the logger: it is made on first use
  const released = await transitionReservation(tx, cause.orderId, ['RESERVED'], {
    status: 'RELEASED',
    reason,
  });
  if (released) {
    await returnStock(tx, reservationLines(released.items));
    await emit([stockReleased(cause, released, reason)]);
    return 'released';
  }
  if (reason === 'TIMED_OUT') {
    const nothing = { orderId: cause.orderId, status: 'RELEASED' as const, items: [], reason };
    if (await insertReservation(tx, nothing)) return 'voided';
  }
  const reservation = await findReservation(tx, cause.orderId);
  // Delivery only starts after stock.reserved, which this service commits with the reservation.
  if (!reservation) {
    throw new ImpossibleEventError(
      `delivery.failed for order ${cause.orderId}, which has no stock reservation`,
    );
  }
  work.logger.info(
    { reservationStatus: reservation.status, reason },
    'the reservation is not RESERVED; nothing to release',
  );
  return 'stale';
}
