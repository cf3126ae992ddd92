import type { EventHandler } from '@saga/shared/consumer';
import { ImpossibleEventError } from '@saga/shared/errors';
import { recordCharge } from '../db/payments.js';
import type { HandlerDeps } from './deps.js';

/** Records the intent to charge the order; the settler calls the gateway after the commit. */
export function onOrderCreated(deps: HandlerDeps): EventHandler<'order.created'> {
  return async (event, context) => {
    // order-service prices every order from its lines: any other amount was never placed.
    const total = event.items.reduce((sum, item) => sum + item.quantity * item.unitPriceMinor, 0);
    if (event.amountMinor < 0 || event.amountMinor !== total) {
      throw new ImpossibleEventError(
        `order.created ${event.eventId}: amount ${event.amountMinor} is not the total ${total} of its lines`,
      );
    }
    // Recorded claimed: this instance settles it right after the commit, without a claim.
    const recorded = await recordCharge(
      context.tx,
      {
        orderId: event.orderId,
        amountMinor: event.amountMinor,
        currency: event.currency,
        customerId: event.customerId,
        causationId: event.eventId,
        items: event.items.map(({ productId, quantity }) => ({ productId, quantity })),
        shippingAddress: event.shippingAddress,
        paymentToken: event.paymentMethod.token,
        traceContext: context.trace,
      },
      deps.claimMs,
    );
    const outcome = recorded ? 'recorded' : 'duplicate';
    context.onCommitted(() => {
      deps.metrics.intents.inc({ kind: 'CHARGE', outcome });
      if (recorded) deps.settleClaimed(recorded);
    });
    if (!recorded) context.logger.info('the order already has a charge; nothing recorded');
  };
}
