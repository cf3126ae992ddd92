import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`, or less if `signal` aborts: shutting down cuts simulated delays short. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  await delay(ms, undefined, { signal }).catch(() => {});
}
