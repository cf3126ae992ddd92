import type { EventHandler } from '@saga/shared/consumer';
import { createDelivery } from '../db/deliveries.js';
import { type CarrierPolicy, decideDelivery } from '../domain/delivery-decision.js';
import { deliveryOutcome } from '../events/outgoing.js';

/** Stock is reserved: start the order's delivery, or report why it cannot start. */
export function onStockReserved(policy: CarrierPolicy): EventHandler<'stock.reserved'> {
  return async (event, context) => {
    const { tx, emit } = context; // not the logger: it is made on first use
    const order = { orderId: event.orderId, postalCode: event.shippingAddress.postalCode };
    const delivery = await createDelivery(tx, order, decideDelivery(order, policy));
    if (!delivery) {
      // Another stock.reserved of this order came first: its outcome was already emitted.
      context.logger.info('the order already has a delivery; stock.reserved ignored');
      return;
    }
    await emit([deliveryOutcome(delivery, event)]);
  };
}
