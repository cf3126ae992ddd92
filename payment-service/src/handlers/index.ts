import type { Handlers } from '@saga/shared/consumer';
import type { HandlerDeps } from './deps.js';
import { onOrderCanceled } from './order-canceled.js';
import { onOrderCreated } from './order-created.js';
import { onRefundTrigger } from './refund-trigger.js';

export type { HandlerDeps } from './deps.js';

export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    'order.created': onOrderCreated(deps),
    'order.canceled': onOrderCanceled(deps),
    'stock.reservation-failed': onRefundTrigger(deps, 'OUT_OF_STOCK'),
    'delivery.failed': onRefundTrigger(deps, 'DELIVERY_FAILED'),
  };
}
