import type { ServiceManifest } from '@saga/shared/service';

/** What the platform and its tools know of delivery-service without starting it. */
export const manifest = {
  name: 'delivery',
  consumes: ['stock.reserved', 'order.canceled'],
} as const satisfies ServiceManifest;
