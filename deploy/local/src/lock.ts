// Serialises up/down/restart across processes: the test runner, a chaos harness and a developer's
// CLI may act on the stack at once, and two `up`s must not both start a broker.
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readyTimeoutMs, stateDir } from './config.ts';
import { StackError } from './errors.ts';

const lockFile = join(stateDir, 'lock');

/** The pid in the lock file; undefined when the lock was released meanwhile. */
function holder(): number | undefined {
  try {
    return Number(readFileSync(lockFile, 'utf8'));
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** link(2) fails if the lock exists, and the pid is in place before the lock appears. */
async function acquire() {
  mkdirSync(stateDir, { recursive: true });
  const mine = `${lockFile}.${process.pid}`;
  writeFileSync(mine, String(process.pid));
  const deadline = Date.now() + 2 * readyTimeoutMs;
  try {
    for (;;) {
      try {
        return linkSync(mine, lockFile);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const pid = holder();
      if (pid === undefined) continue;
      if (!alive(pid))
        rmSync(lockFile, { force: true }); // its holder died without releasing it
      else if (Date.now() > deadline) {
        throw new StackError(
          `Another stack command (pid ${pid}) has held ${lockFile} for too long. Wait for it ` +
            `to finish, or stop it (kill ${pid}) and try again.`,
        );
      } else await sleep(100);
    }
  } finally {
    rmSync(mine, { force: true });
  }
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `task` holding the stack lock; calls within one process queue up behind each other. */
export function withLock<T>(task: () => Promise<T>): Promise<T> {
  const result = queue.then(async () => {
    await acquire();
    try {
      return await task();
    } finally {
      rmSync(lockFile, { force: true });
    }
  });
  queue = result.catch(() => {});
  return result;
}
