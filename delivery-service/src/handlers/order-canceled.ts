import type { EventHandler } from '@saga/shared/consumer';
import { cancelDelivery } from '../db/deliveries.js';

/**
 * An order canceled at its deadline is not delivered: its delivery is canceled, or never starts.
 * Other cancellations come from a failure before delivery or of delivery itself: nothing to do.
 */
export const onOrderCanceled: EventHandler<'order.canceled'> = async (event, context) => {
  if (event.reason !== 'TIMED_OUT') return;
  const canceled = await cancelDelivery(context.tx, event.orderId);
  context.logger.info({ canceled }, 'order canceled at its deadline');
};
