import type { ServiceContext } from '@saga/shared/service';
import type { Express } from 'express';
import type { HotDealGate } from '../hot-deal/gate.js';
import type { IdempotencyCache } from '../idempotency/cache.js';
import { getOrder, type OrderWaitOptions } from './get-order.js';
import { listOrdersRoute } from './list-orders.js';
import { postOrder } from './post-order.js';
import { mountSagaRoutes } from './sagas.js';

export function mountOrderRoutes(
  app: Express,
  context: ServiceContext,
  cache: IdempotencyCache,
  wait: OrderWaitOptions,
  sagaDeadlineSeconds: number,
  gate: HotDealGate,
) {
  app.post('/orders', postOrder(context, cache, sagaDeadlineSeconds, gate));
  app.get('/orders', listOrdersRoute(context));
  app.get('/orders/:id', getOrder(context, wait));
  mountSagaRoutes(app, context);
}
