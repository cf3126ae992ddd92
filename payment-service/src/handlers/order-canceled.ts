import type { EventHandler, HandlerContext } from '@saga/shared/consumer';
import type { OrderCanceled } from '@saga/shared/events';
import {
  findCharge,
  markOrderCanceled,
  recordChargeNeverMade,
  recordRefund,
  refundOf,
} from '../db/payments.js';
import type { HandlerDeps } from './deps.js';

/**
 * An order canceled at its deadline gives its money back, whatever the charge had come to: a
 * completed charge is refunded; a pending one is no longer attempted (the settler looks it up
 * and refunds what the gateway charged); a charge not yet asked for never will be. Other
 * cancellations end the saga after the compensations they need: nothing is left to give back.
 */
export function onOrderCanceled(deps: HandlerDeps): EventHandler<'order.canceled'> {
  return async (event, context) => {
    if (event.reason !== 'TIMED_OUT') return;
    const outcome = await giveBack(event, context);
    context.onCommitted(() => {
      deps.metrics.intents.inc({ kind: 'CANCELLATION', outcome });
      if (outcome === 'refund-recorded' || outcome === 'abandoned') deps.wakeSettler();
    });
    context.logger.info({ outcome }, 'order canceled at its deadline');
  };
}

async function giveBack(event: OrderCanceled, { tx, trace }: HandlerContext): Promise<string> {
  // Locked so that the settler's answer for a charge under way lands before or after this.
  const charge = await findCharge(tx, event.orderId, { forUpdate: true });
  if (!charge) {
    const order = { orderId: event.orderId, customerId: event.customerId };
    const voided = await recordChargeNeverMade(tx, { ...order, causationId: event.eventId });
    return voided ? 'never-made' : 'duplicate';
  }
  switch (charge.status) {
    case 'PENDING':
      return (await markOrderCanceled(tx, charge.id)) ? 'abandoned' : 'duplicate';
    case 'COMPLETED': {
      const cause = {
        reason: 'TIMED_OUT',
        causationId: event.eventId,
        traceContext: trace,
      } as const;
      return (await recordRefund(tx, refundOf(charge, cause))) ? 'refund-recorded' : 'duplicate';
    }
    case 'FAILED':
      return 'nothing-to-refund';
  }
}
