import { fileURLToPath } from 'node:url';
import type { ServiceContext, ServiceDefinition } from '@saga/shared/service';
import { orderApiDocument } from './api/openapi.js';
import { mountOrderRoutes } from './api/routes.js';
import type { OrderConfig } from './config.js';
import { orderHandlers } from './handlers/index.js';
import { createIdempotencyCache } from './idempotency/cache.js';
import { createOrderWatch, type OrderWatch } from './orders/order-watch.js';
import { createSagaMetrics } from './saga/saga-metrics.js';

export function createDefinition(config: OrderConfig): ServiceDefinition {
  // handlers() and routes() are called once per started instance with its context: one watch
  // each, which the saga handlers wake and GET /orders/:id waits on.
  const watches = new WeakMap<ServiceContext, OrderWatch>();
  const watchOf = (context: ServiceContext) => {
    let watch = watches.get(context);
    if (!watch) {
      const created = createOrderWatch({
        maxWaiters: config.ORDER_WAIT_MAX_WAITERS,
        registry: context.metrics.registry,
      });
      // Waiting requests answer as the service starts to stop, so HTTP can close.
      context.stopping.addEventListener('abort', () => created.close(), { once: true });
      watches.set(context, created);
      watch = created;
    }
    return watch;
  };
  return {
    name: 'order',
    settings: config,
    port: config.PORT,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    handlers: (context) =>
      orderHandlers(createSagaMetrics(context.metrics.registry), watchOf(context)),
    openapi: orderApiDocument,
    routes: (app, context) => {
      const cache = createIdempotencyCache({
        redis: context.redis,
        // Environments that share a broker through a topic prefix share Redis the same way.
        keyPrefix: config.KAFKA_TOPIC_PREFIX,
        ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
        logger: context.logger,
      });
      mountOrderRoutes(app, context, cache, {
        watch: watchOf(context),
        maxSeconds: config.ORDER_WAIT_MAX_SECONDS,
        recheckMs: config.ORDER_WAIT_RECHECK_MS,
      });
    },
  };
}
