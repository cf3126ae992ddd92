import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';

/**
 * Reads `read` until it answers the same `stableReads` times in a row, `intervalMs` apart, and
 * returns that answer: work that continues after a commit (a callback, a worker) has finished.
 */
export async function settled<T>(
  read: () => Promise<T>,
  { stableReads = 5, intervalMs = 100, timeoutMs = 30_000 } = {},
): Promise<T> {
  const started = Date.now();
  let last = await read();
  let same = 1;
  while (same < stableReads) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`still changing after ${timeoutMs} ms: ${JSON.stringify(last)}`);
    }
    await sleep(intervalMs);
    const next = await read();
    same = isDeepStrictEqual(next, last) ? same + 1 : 1;
    last = next;
  }
  return last;
}
