import { fileURLToPath } from 'node:url';
import type { ServiceDefinition } from '@saga/shared/service';
import type { DeliveryConfig } from './config.js';
import { onOrderCanceled } from './handlers/order-canceled.js';
import { onStockReserved } from './handlers/stock-reserved.js';
import { manifest } from './manifest.js';

/** Resolves from src/ and dist/ alike. */
const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

export function createDefinition(config: DeliveryConfig): ServiceDefinition {
  const policy = { failureRate: config.DELIVERY_FAILURE_RATE, seed: config.DELIVERY_SEED };
  return {
    ...manifest,
    settings: config,
    port: config.PORT,
    migrationsFolder,
    build: () => ({
      handlers: {
        'stock.reserved': onStockReserved(policy),
        'order.canceled': onOrderCanceled,
      },
    }),
  };
}
