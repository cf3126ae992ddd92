import { ImpossibleEventError } from '@saga/shared/errors';
import type { DeliveryFailed } from '@saga/shared/events';
import { findReservation, transitionReservation } from '../db/reservations.js';
import { returnStock } from '../db/stock.js';
import { RELEASE_REASON, reservationLines } from '../domain/reservation.js';
import { stockReleased } from '../events/outgoing.js';
import type { UnitOfWork } from './unit-of-work.js';

/**
 * Compensates an order whose delivery failed: its RESERVED stock goes back to available, once,
 * with `stock.released`. A reservation that failed or was released already is left alone.
 */
export async function releaseStock(
  work: UnitOfWork,
  failure: DeliveryFailed,
): Promise<'released' | 'stale'> {
  const { tx, emit } = work; // not the logger: it is made on first use
  const released = await transitionReservation(tx, failure.orderId, ['RESERVED'], {
    status: 'RELEASED',
    reason: RELEASE_REASON,
  });
  if (!released) {
    const reservation = await findReservation(tx, failure.orderId);
    // Delivery only starts after stock.reserved, which this service commits with the reservation.
    if (!reservation) {
      throw new ImpossibleEventError(
        `delivery.failed for order ${failure.orderId}, which has no stock reservation`,
      );
    }
    work.logger.info(
      { reservationStatus: reservation.status },
      'the reservation is not RESERVED; delivery.failed ignored',
    );
    return 'stale';
  }
  await returnStock(tx, reservationLines(released.items));
  await emit([stockReleased(failure, released)]);
  return 'released';
}
