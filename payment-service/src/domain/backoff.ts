export interface BackoffPolicy {
  /** Delay after the first failed attempt, ms. */
  initialInterval: number;
  backoffCoefficient: number;
  /** Delay cap, ms. */
  maximumInterval: number;
}

/**
 * How long a payment waits after its `attempt`-th failed attempt (counting from 1): exponential,
 * capped, with "equal jitter" (half fixed, half random) so payments failed together by one outage
 * do not return together. `random` is injectable for tests.
 */
export function retryDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponential =
    policy.initialInterval * policy.backoffCoefficient ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maximumInterval, exponential);
  return Math.round(capped / 2 + (capped / 2) * random());
}
