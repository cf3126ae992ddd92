import { setTimeout as sleep } from 'node:timers/promises';

export interface ReadinessProbe {
  url: string;
  timeoutMs: number;
  /** Settles when the process exits: waiting stops at once. */
  exited: Promise<unknown>;
}

async function answers200(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false; // not listening yet, or too slow to answer
  }
}

/**
 * Polls `url` until it answers 200. Resolves 'ready', or 'exited' if the process died first, or
 * 'timeout' once `timeoutMs` has passed.
 */
export async function waitUntilReady(
  probe: ReadinessProbe,
): Promise<'ready' | 'exited' | 'timeout'> {
  let exited = false;
  probe.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + probe.timeoutMs;
  while (!exited && Date.now() < deadline) {
    if (await answers200(probe.url)) return 'ready';
    await sleep(100);
  }
  return exited ? 'exited' : 'timeout';
}
