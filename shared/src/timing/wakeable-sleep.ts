/**
 * The wait of a loop that polls for work and can also be told of it. A wake-up that arrives
 * while the loop is busy is kept, so work announced between its look and its sleep is never slept
 * on. One sleeper at a time.
 */
export interface WakeableSleep {
  /** Ends the sleep under way, or else the next one as soon as it starts. */
  wake(): void;
  /** Forgets the wake-ups so far: call just before looking for the work they announce. */
  clear(): void;
  /** Resolves on a wake-up, after `ms`, or on abort, whichever comes first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export function createWakeableSleep(): WakeableSleep {
  let woken = false;
  let wakeUp: (() => void) | undefined;
  return {
    wake() {
      woken = true;
      wakeUp?.();
    },
    clear() {
      woken = false;
    },
    sleep(ms, signal) {
      if (woken || signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          wakeUp = undefined;
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done, { once: true });
        wakeUp = done;
      });
    },
  };
}
