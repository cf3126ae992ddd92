import { ImpossibleEventError } from '@saga/shared/errors';
import type { PaymentCompleted } from '@saga/shared/events';
import type { Logger } from '@saga/shared/logger';
import type { UnitOfWork } from '@saga/shared/outbox';
import { insertReservation } from '../db/reservations.js';
import { returnStock, takeStock } from '../db/stock.js';
import { reservationLines, unreservableLines } from '../domain/reservation.js';
import { stockReservationFailed, stockReserved } from '../events/outgoing.js';

/**
 * Reserves the stock of a paid order, all lines or none, and records the outcome: RESERVED with
 * `stock.reserved`, or FAILED with `stock.reservation-failed`. An order is reserved at most once,
 * even when payment.completed arrives again under another event id.
 */
export async function reserveStock(
  work: UnitOfWork & { logger: Logger },
  payment: PaymentCompleted,
): Promise<'reserved' | 'failed' | 'duplicate'> {
  const { tx, emit } = work; // not the logger: it is made on first use
  const problem = unreservableLines(payment.items);
  if (problem) {
    throw new ImpossibleEventError(`payment.completed of order ${payment.orderId}: ${problem}`);
  }
  const lines = reservationLines(payment.items);
  // Stock first, then the row whose unique order_id proves this is the order's first reservation;
  // if it is not, the stock taken goes back.
  const failure = await takeStock(tx, lines);
  const reservation = await insertReservation(tx, {
    orderId: payment.orderId,
    status: failure ? 'FAILED' : 'RESERVED',
    items: lines,
    reason: failure ?? null,
  });
  if (!reservation) {
    if (!failure) await returnStock(tx, lines);
    work.logger.info('the order has a reservation already; payment.completed ignored');
    return 'duplicate';
  }
  if (failure) {
    await emit([stockReservationFailed(payment, lines, failure)]);
    return 'failed';
  }
  await emit([stockReserved(payment, reservation)]);
  return 'reserved';
}
