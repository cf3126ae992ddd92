import type { ServiceManifest } from '@saga/shared/service';

/** What the platform and its tools know of inventory-service without starting it. */
export const manifest = {
  name: 'inventory',
  consumes: ['payment.completed', 'delivery.failed', 'order.canceled'],
} as const satisfies ServiceManifest;
