import { fileURLToPath } from 'node:url';
import type { ServiceDefinition } from '@saga/shared/service';
import { inventoryApiDocument } from './api/openapi.js';
import { productRoutes } from './api/products.js';
import type { InventoryConfig } from './config.js';
import { inventoryHandlers } from './handlers/index.js';
import { manifest } from './manifest.js';
import { createStockMetrics } from './metrics.js';

export function createDefinition(config: InventoryConfig): ServiceDefinition {
  return {
    ...manifest,
    settings: config,
    port: config.PORT,
    // Resolves from src/ and dist/ alike.
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    openapi: inventoryApiDocument,
    build: (context) => ({
      handlers: inventoryHandlers(createStockMetrics(context.metrics.registry)),
      routes: (app) => productRoutes(app, context),
    }),
  };
}
