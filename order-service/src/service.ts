import { fileURLToPath } from 'node:url';
import type { ServiceContext, ServiceDefinition } from '@saga/shared/service';
import { orderApiDocument } from './api/openapi.js';
import { mountOrderRoutes } from './api/routes.js';
import type { OrderConfig } from './config.js';
import { sellableUnits } from './db/hot-deal-stock.js';
import type { OrderRow } from './db/schema.js';
import { orderHandlers } from './handlers/index.js';
import { holdExpiryWorker } from './hot-deal/expiry-worker.js';
import { createHotDealGate, type HotDealGate } from './hot-deal/gate.js';
import { createHotDealMetrics } from './hot-deal/hot-deal-metrics.js';
import { createIdempotencyCache } from './idempotency/cache.js';
import { createOrderWatch, type OrderWatch } from './orders/order-watch.js';
import { deadlineKeeper } from './saga/deadline-keeper.js';
import { observeSagas } from './saga/saga-gauges.js';
import { createSagaMetrics, type SagaMetrics } from './saga/saga-metrics.js';

/** What one started instance's handlers, routes and workers share. */
interface OrderRuntime {
  /** Wakes the GET /orders/:id requests waiting for an order. */
  watch: OrderWatch;
  metrics: SagaMetrics;
  gate: HotDealGate;
  /** After the commit that ended `order`, whatever ended it (an event or its deadline). */
  ended(order: OrderRow): void;
}

export function createDefinition(config: OrderConfig): ServiceDefinition {
  // handlers(), routes() and workers() are called once per started instance with its context:
  // one runtime each.
  const runtimes = new WeakMap<ServiceContext, OrderRuntime>();
  const runtimeOf = (context: ServiceContext) => {
    let runtime = runtimes.get(context);
    if (!runtime) {
      const watch = createOrderWatch({
        maxWaiters: config.ORDER_WAIT_MAX_WAITERS,
        registry: context.metrics.registry,
      });
      // Waiting requests answer as the service starts to stop, so HTTP can close.
      context.stopping.addEventListener('abort', () => watch.close(), { once: true });
      const metrics = createSagaMetrics(context.metrics.registry);
      observeSagas(
        context.metrics.registry,
        context.database.db,
        config.SAGA_STUCK_AFTER_SECONDS,
        context.logger,
      );
      const gate = createHotDealGate({
        redis: context.redis,
        keyPrefix: config.KAFKA_TOPIC_PREFIX,
        holdSeconds: config.SAGA_DEADLINE + config.HOT_DEAL_HOLD_GRACE_SECONDS,
        sellable: (productId) => sellableUnits(context.database.db, productId),
        metrics: createHotDealMetrics(context.metrics.registry),
        logger: context.logger,
      });
      runtime = {
        watch,
        metrics,
        gate,
        ended(order) {
          metrics.ended(order);
          watch.ended(order.id);
          void gate.ended(order);
        },
      };
      runtimes.set(context, runtime);
    }
    return runtime;
  };
  return {
    name: 'order',
    settings: config,
    port: config.PORT,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    handlers: (context) => {
      const { metrics, ended, gate } = runtimeOf(context);
      return orderHandlers(metrics, ended, gate);
    },
    openapi: orderApiDocument,
    routes: (app, context) => {
      const cache = createIdempotencyCache({
        redis: context.redis,
        // Environments that share a broker through a topic prefix share Redis the same way.
        keyPrefix: config.KAFKA_TOPIC_PREFIX,
        ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
        logger: context.logger,
      });
      mountOrderRoutes(
        app,
        context,
        cache,
        {
          watch: runtimeOf(context).watch,
          maxSeconds: config.ORDER_WAIT_MAX_SECONDS,
          recheckMs: config.ORDER_WAIT_RECHECK_MS,
        },
        config.SAGA_DEADLINE,
        runtimeOf(context).gate,
      );
    },
    workers: (context) => {
      const { metrics, ended, gate } = runtimeOf(context);
      return [
        deadlineKeeper(context, {
          intervalMs: config.SAGA_DEADLINE_CHECK_INTERVAL_MS,
          batchSize: 100,
          canceled(order, from) {
            metrics.timedOut(from);
            ended(order);
          },
        }),
        holdExpiryWorker(context, gate, {
          intervalMs: config.HOT_DEAL_EXPIRY_CHECK_INTERVAL_MS,
          batchSize: 100,
        }),
      ];
    },
  };
}
