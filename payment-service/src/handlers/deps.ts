import type { PaymentRow } from '../db/schema.js';
import type { PaymentMetrics } from '../metrics.js';

export interface HandlerDeps {
  metrics: PaymentMetrics;
  /** Wakes the settler; handlers call it once their transaction has committed. */
  wakeSettler(): void;
  /** Hands a charge recorded claimed to the settler; handlers call it once committed. */
  settleClaimed(payment: PaymentRow): void;
  /** How long a charge is recorded claimed for: the settler's lease. */
  claimMs: number;
}
