import type { EventHandler } from '@saga/shared/consumer';
import { ImpossibleEventError } from '@saga/shared/errors';
import { findCharge, recordRefund, refundOf } from '../db/payments.js';
import { decideRefund, type RefundReason } from '../domain/payment.js';
import type { HandlerDeps } from './deps.js';

type RefundTrigger = 'stock.reservation-failed' | 'delivery.failed';

/**
 * Records the intent to refund the order's charge, as compensation for `reason`. At most one
 * refund per order: a second trigger (the other failure, or a redelivery) records nothing.
 */
export function onRefundTrigger<T extends RefundTrigger>(
  deps: HandlerDeps,
  reason: RefundReason,
): EventHandler<T> {
  return async (event, context) => {
    // Locked so a concurrent trigger for the same order waits for this decision.
    const charge = await findCharge(context.tx, event.orderId, { forUpdate: true });
    const decision = decideRefund(charge?.status);
    if (decision === 'impossible') {
      throw new ImpossibleEventError(
        `${context.topic} for order ${event.orderId}, whose charge is ${charge?.status ?? 'unknown'}`,
      );
    }
    const recorded =
      decision === 'record-refund' &&
      (await recordRefund(
        context.tx,
        refundOf(charge!, { reason, causationId: event.eventId, traceContext: context.trace }),
      ));
    const outcome = recorded ? 'recorded' : decision === 'record-refund' ? 'duplicate' : decision;
    context.onCommitted(() => {
      deps.metrics.intents.inc({ kind: 'REFUND', outcome });
      if (recorded) deps.wakeSettler();
    });
    if (!recorded) context.logger.info({ outcome }, 'no refund recorded');
  };
}
