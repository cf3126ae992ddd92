/** Exponential backoff, in the names of Temporal's retry policy. */
export interface BackoffPolicy {
  /** Delay after the first failed attempt, ms. */
  initialInterval: number;
  backoffCoefficient: number;
  /** Delay cap, ms. */
  maximumInterval: number;
}

/** Always the top of the jitter range: the plain capped exponential delay. */
export const noJitter = (): number => 1;

/**
 * How long to wait after the `attempt`-th failed attempt (counting from 1): exponential, capped,
 * with "equal jitter" (half fixed, half random) so callers failed together by one outage do not
 * return together. `random` is injectable for tests; `noJitter` for a lone caller.
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
