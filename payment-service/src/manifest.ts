import type { ServiceManifest } from '@saga/shared/service';

/** What the platform and its tools know of payment-service without starting it. */
export const manifest = {
  name: 'payment',
  // `order.canceled`: a saga canceled at its deadline gives back its charge.
  consumes: ['order.created', 'stock.reservation-failed', 'delivery.failed', 'order.canceled'],
} as const satisfies ServiceManifest;
