import { type LoadConfigOptions, loadConfig, settings } from '@saga/shared/config';
import { serviceSettingsSchema } from '@saga/shared/service';
import type { z } from 'zod';

export const inventoryConfigSchema = serviceSettingsSchema.extend({
  PORT: settings.port.default(3002),
});

export type InventoryConfig = z.infer<typeof inventoryConfigSchema>;

/** The only place the service reads its environment (and the stack's env file). */
export function loadServiceConfig(options?: LoadConfigOptions): InventoryConfig {
  return loadConfig(inventoryConfigSchema, options);
}
