import { setTimeout as sleep } from 'node:timers/promises';

export interface ReadinessProbe {
  url: string;
  timeoutMs: number;
  /** Settles when the process exits: waiting stops at once. */
  exited: Promise<unknown>;
}

/** 'ok' on a 200; otherwise what it answered instead, for the error that reports a timeout. */
async function probe(url: string): Promise<'ok' | string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    const body = (await response.text()).slice(0, 500);
    return response.status === 200 ? 'ok' : `${response.status} ${body}`;
  } catch (error) {
    // Not listening yet, or too slow to answer.
    return `no answer (${(error as Error).cause ?? (error as Error).message})`;
  }
}

/**
 * Polls `url` until it answers 200. Resolves 'ready', or 'exited' if the process died first, or
 * 'timeout' once `timeoutMs` has passed, with the last answer it had instead.
 */
export async function waitUntilReady(
  readiness: ReadinessProbe,
): Promise<{ outcome: 'ready' | 'exited' | 'timeout'; lastAnswer?: string }> {
  let exited = false;
  readiness.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + readiness.timeoutMs;
  let lastAnswer: string | undefined;
  while (!exited && Date.now() < deadline) {
    lastAnswer = await probe(readiness.url);
    if (lastAnswer === 'ok') return { outcome: 'ready' };
    await sleep(100);
  }
  return { outcome: exited ? 'exited' : 'timeout', lastAnswer };
}
