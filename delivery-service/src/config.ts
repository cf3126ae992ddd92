import { type LoadConfigOptions, loadConfig, settings } from '@saga/shared/config';
import { serviceSettingsSchema } from '@saga/shared/service';
import { z } from 'zod';

export const deliveryConfigSchema = serviceSettingsSchema.extend({
  PORT: settings.port.default(3003),
  /** Share of orders the carrier rejects (`CARRIER_REJECTED`), 0..1. */
  DELIVERY_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** Chooses which orders the carrier rejects; a run with the same seed rejects the same ones. */
  DELIVERY_SEED: z.string().min(1).default('delivery'),
});

export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;

/** The only place delivery-service reads its environment. */
export function loadServiceConfig(options?: LoadConfigOptions): DeliveryConfig {
  return loadConfig(deliveryConfigSchema, options);
}
