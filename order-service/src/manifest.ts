import type { ServiceManifest } from '@saga/shared/service';
import { SAGA_TOPICS } from './domain/saga-state.js';

/** What the platform and its tools know of order-service without starting it. */
export const manifest = {
  name: 'order',
  // Every saga event, and product.upserted for the price replica.
  consumes: [...SAGA_TOPICS, 'product.upserted'],
} as const satisfies ServiceManifest;
