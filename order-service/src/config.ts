import { type LoadConfigOptions, loadConfig, settings } from '@saga/shared/config';
import { serviceSettingsSchema } from '@saga/shared/service';
import type { z } from 'zod';

export const orderConfigSchema = serviceSettingsSchema.extend({
  PORT: settings.port.default(3000),
  /** How long Redis remembers an Idempotency-Key's answer; the orders table remembers forever. */
  IDEMPOTENCY_TTL_SECONDS: settings.positiveInt.default(24 * 60 * 60),
});

export type OrderConfig = z.infer<typeof orderConfigSchema>;

/** The only place order-service reads the environment. */
export function loadServiceConfig(options?: LoadConfigOptions): OrderConfig {
  return loadConfig(orderConfigSchema, options);
}
