import { fileURLToPath } from 'node:url';
import type { ServiceDefinition } from '@saga/shared/service';
import type { Redis } from 'ioredis';
import { mountOrderRoutes } from './api/routes.js';
import type { OrderConfig } from './config.js';
import { orderHandlers } from './handlers/index.js';
import { createIdempotencyCache } from './idempotency/cache.js';
import { connectRedis } from './idempotency/redis.js';
import { createSagaMetrics } from './saga/saga-metrics.js';

export function createDefinition(config: OrderConfig): ServiceDefinition {
  let redis: Redis | undefined;
  return {
    name: 'order',
    settings: config,
    port: config.PORT,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    handlers: (context) => orderHandlers(createSagaMetrics(context.metrics.registry)),
    routes: (app, context) => {
      redis = connectRedis(config.REDIS_URL, context.logger);
      const cache = createIdempotencyCache({
        redis,
        // Environments that share a broker through a topic prefix share Redis the same way.
        keyPrefix: config.KAFKA_TOPIC_PREFIX,
        ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
        logger: context.logger,
      });
      mountOrderRoutes(app, context, cache);
    },
    // Redis is a cache: it is not part of readiness, since the service works without it.
    onStop: async () => redis?.disconnect(),
  };
}
