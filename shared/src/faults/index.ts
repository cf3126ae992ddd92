/**
 * Named crash points for the chaos harness. Disabled unless a service's config enables them:
 * then reaching an enabled point kills the process at once, as a power cut would.
 */
export type FaultPoint =
  /** The consumer's business transaction committed; its Kafka offset did not. */
  | 'consumer.after-commit'
  /** Kafka acknowledged the relay's batch; the rows are not yet marked published. */
  | 'relay.after-publish';

export interface FaultHooks {
  reach(point: FaultPoint): void;
}

export const noFaults: FaultHooks = { reach() {} };

/**
 * Kills the process at `points` with the given probability per visit, drawn from `random` so a
 * seeded run is reproducible.
 */
export function crashAt(
  points: readonly FaultPoint[],
  probability: number,
  random: () => number = Math.random,
): FaultHooks {
  const enabled = new Set(points);
  return {
    reach(point) {
      if (enabled.has(point) && random() < probability) process.kill(process.pid, 'SIGKILL');
    },
  };
}
