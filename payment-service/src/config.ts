import { type LoadConfigOptions, loadConfig, settings } from '@saga/shared/config';
import { serviceSettingsSchema } from '@saga/shared/service';
import { z } from 'zod';

const milliseconds = settings.positiveInt;

export const paymentSettingsSchema = serviceSettingsSchema
  .extend({
    PORT: settings.port.default(3001),
    PAYMENT_GATEWAY_URL: settings.url(['http', 'https']).default('http://127.0.0.1:3004'),
    /** Each gateway call is abandoned after this long and counts as a breaker failure. */
    PAYMENT_GATEWAY_TIMEOUT_MS: milliseconds.default(2_000),
    /** Failure share (percent) within the rolling window that opens the circuit. */
    PAYMENT_BREAKER_ERROR_THRESHOLD_PERCENTAGE: z.coerce.number().min(1).max(100).default(50),
    /** Calls within the rolling window before the circuit may open at all. */
    PAYMENT_BREAKER_VOLUME_THRESHOLD: settings.positiveInt.default(5),
    PAYMENT_BREAKER_ROLLING_WINDOW_MS: milliseconds.default(10_000),
    /** How long the circuit stays open before one trial call (half-open). */
    PAYMENT_BREAKER_RESET_TIMEOUT_MS: milliseconds.default(5_000),
    /** Fallback poll for due payments when no in-process wake-up arrives. */
    PAYMENT_SETTLER_POLL_INTERVAL_MS: milliseconds.default(500),
    /** Payments claimed and settled concurrently per round. */
    PAYMENT_SETTLER_BATCH_SIZE: settings.positiveInt.default(20),
    /**
     * A claimed payment is hidden from other settlers this long; if its settler dies it becomes
     * due again afterwards. Must cover a lookup and a charge call.
     */
    PAYMENT_SETTLER_LEASE_MS: milliseconds.default(15_000),
    /** Backoff of a payment the gateway could not settle (timeout, 5xx, open circuit). */
    PAYMENT_RETRY_INITIAL_INTERVAL_MS: milliseconds.default(250),
    PAYMENT_RETRY_BACKOFF_COEFFICIENT: z.coerce.number().min(1).default(2),
    PAYMENT_RETRY_MAXIMUM_INTERVAL_MS: milliseconds.default(30_000),
  })
  .refine((env) => env.PAYMENT_SETTLER_LEASE_MS > 2 * env.PAYMENT_GATEWAY_TIMEOUT_MS, {
    message: 'must exceed twice PAYMENT_GATEWAY_TIMEOUT_MS (a lookup plus a charge)',
    path: ['PAYMENT_SETTLER_LEASE_MS'],
  });

export type PaymentSettings = z.infer<typeof paymentSettingsSchema>;

/** The only place the payment-service reads its environment. */
export function loadServiceConfig(options?: LoadConfigOptions): PaymentSettings {
  return loadConfig(paymentSettingsSchema, options);
}
