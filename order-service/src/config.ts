import { type LoadConfigOptions, loadConfig, settings } from '@saga/shared/config';
import { serviceSettingsSchema } from '@saga/shared/service';
import type { z } from 'zod';

export const orderConfigSchema = serviceSettingsSchema.extend({
  PORT: settings.port.default(3000),
  /** Seconds from acceptance after which an order not yet ended is canceled TIMED_OUT. */
  SAGA_DEADLINE: settings.positiveInt.default(60),
  /** How often overdue sagas are looked for, ms: the most a deadline is overrun by. */
  SAGA_DEADLINE_CHECK_INTERVAL_MS: settings.positiveInt.default(1000),
  /** Seconds without progress after which the `saga_stuck` gauge counts an open saga. */
  SAGA_STUCK_AFTER_SECONDS: settings.positiveInt.default(60),
  /**
   * Seconds a hot-deal hold outlives its saga's deadline before the expiry worker ends it: the
   * deadline normally ends it first, and a hold must never expire under a saga still running.
   */
  HOT_DEAL_HOLD_GRACE_SECONDS: settings.positiveInt.default(30),
  /** How often expired hot-deal holds are looked for, ms. */
  HOT_DEAL_EXPIRY_CHECK_INTERVAL_MS: settings.positiveInt.default(1000),
  /** How long Redis remembers an Idempotency-Key's answer; the orders table remembers forever. */
  IDEMPOTENCY_TTL_SECONDS: settings.positiveInt.default(24 * 60 * 60),
  /** The longest `Prefer: wait` GET /orders/:id honours; a longer one is cut to this. */
  ORDER_WAIT_MAX_SECONDS: settings.positiveInt.default(30),
  /** Requests that may wait at once; over it, a request with `Prefer: wait` answers at once. */
  ORDER_WAIT_MAX_WAITERS: settings.positiveInt.default(1000),
  /**
   * How often a waiting request re-reads its order even when not woken: another instance's
   * commits do not wake waiters here.
   */
  ORDER_WAIT_RECHECK_MS: settings.positiveInt.default(1000),
});

export type OrderConfig = z.infer<typeof orderConfigSchema>;

/** The only place order-service reads the environment. */
export function loadServiceConfig(options?: LoadConfigOptions): OrderConfig {
  return loadConfig(orderConfigSchema, options);
}
