import type { ServiceContext } from '@saga/shared/service';
import type { Express } from 'express';
import type { IdempotencyCache } from '../idempotency/cache.js';
import { getOrder, type OrderWaitOptions } from './get-order.js';
import { listOrdersRoute } from './list-orders.js';
import { postOrder } from './post-order.js';

export function mountOrderRoutes(
  app: Express,
  context: ServiceContext,
  cache: IdempotencyCache,
  wait: OrderWaitOptions,
  sagaDeadlineSeconds: number,
) {
  app.post('/orders', postOrder(context, cache, sagaDeadlineSeconds));
  app.get('/orders', listOrdersRoute(context));
  app.get('/orders/:id', getOrder(context, wait));
}
