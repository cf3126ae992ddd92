import { ImpossibleEventError } from '@saga/shared/errors';
import type { Logger } from '@saga/shared/logger';
import type { UnitOfWork } from '@saga/shared/outbox';
import { findReservation, insertReservation, transitionReservation } from '../db/reservations.js';
import { returnStock } from '../db/stock.js';
import { type ReleaseReason, reservationLines } from '../domain/reservation.js';
import { stockReleased } from '../events/outgoing.js';

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
  work: UnitOfWork & { logger: Logger },
  cause: ReleaseCause,
  reason: ReleaseReason,
): Promise<'released' | 'voided' | 'stale'> {
  if (await releaseReserved(work, cause, reason)) return 'released';
  if (reason === 'TIMED_OUT') {
    const nothing = { orderId: cause.orderId, status: 'RELEASED' as const, items: [], reason };
    if (await insertReservation(work.tx, nothing)) return 'voided';
    // The insert waited for a reservation of the order being committed, then conflicted with
    // it: that reservation is visible now, and goes back too.
    if (await releaseReserved(work, cause, reason)) return 'released';
  }
  const reservation = await findReservation(work.tx, cause.orderId);
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

/** Moves a RESERVED reservation to RELEASED, its stock back to available; false when none. */
async function releaseReserved(
  { tx, emit }: UnitOfWork,
  cause: ReleaseCause,
  reason: ReleaseReason,
): Promise<boolean> {
  const released = await transitionReservation(tx, cause.orderId, ['RESERVED'], {
    status: 'RELEASED',
    reason,
  });
  if (!released) return false;
  await returnStock(tx, reservationLines(released.items));
  await emit([stockReleased(cause, released, reason)]);
  return true;
}
