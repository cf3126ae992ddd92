import type { PaymentMetrics } from '../metrics.js';

export interface HandlerDeps {
  metrics: PaymentMetrics;
  /** Wakes the settler; handlers call it once their transaction has committed. */
  wakeSettler(): void;
}
