import { fileURLToPath } from 'node:url';
import type { ServiceContext, ServiceDefinition, ServiceParts } from '@saga/shared/service';
import { orderApiDocument } from './api/openapi.js';
import { createOrderWatch } from './api/order-watch.js';
import { mountOrderRoutes } from './api/routes.js';
import type { OrderConfig } from './config.js';
import { sellableUnits } from './db/hot-deal-stock.js';
import type { OrderRow } from './db/schema.js';
import { orderHandlers } from './handlers/index.js';
import { holdExpiryWorker } from './hot-deal/expiry-worker.js';
import { createHotDealGate } from './hot-deal/gate.js';
import { createHotDealMetrics } from './hot-deal/hot-deal-metrics.js';
import { createIdempotencyCache } from './idempotency/cache.js';
import { manifest } from './manifest.js';
import { observeSagas } from './metrics/saga-gauges.js';
import { createSagaMetrics } from './metrics/saga-metrics.js';
import { deadlineKeeper } from './use-cases/deadline-keeper.js';

export function createDefinition(config: OrderConfig): ServiceDefinition {
  return {
    ...manifest,
    settings: config,
    port: config.PORT,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    openapi: orderApiDocument,
    build: (context) => buildOrder(context, config),
  };
}

/**
 * One instance. Whatever ends an order (an event or its deadline) tells the saga metrics, wakes
 * the GET /orders/:id requests waiting for it, and gives its hot-deal hold back if it has one.
 */
function buildOrder(context: ServiceContext, config: OrderConfig): ServiceParts {
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
  const ended = (order: OrderRow) => {
    metrics.ended(order);
    watch.ended(order.id);
    void gate.ended(order);
  };
  const cache = createIdempotencyCache({
    redis: context.redis,
    // Environments that share a broker through a topic prefix share Redis the same way.
    keyPrefix: config.KAFKA_TOPIC_PREFIX,
    ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
    logger: context.logger,
  });
  return {
    handlers: orderHandlers(metrics, ended, gate),
    routes: (app) =>
      mountOrderRoutes(
        app,
        context,
        cache,
        {
          watch,
          maxSeconds: config.ORDER_WAIT_MAX_SECONDS,
          recheckMs: config.ORDER_WAIT_RECHECK_MS,
        },
        config.SAGA_DEADLINE,
        gate,
      ),
    workers: [
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
    ],
  };
}
