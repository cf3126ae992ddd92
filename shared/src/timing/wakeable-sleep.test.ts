import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWakeableSleep } from './wakeable-sleep.js';

const never = new AbortController().signal;

/** How long `sleeping` took, ms. */
async function timed(sleeping: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await sleeping();
  return performance.now() - started;
}

describe('wakeable sleep', () => {
  it('ends a sleep when woken', async () => {
    const idle = createWakeableSleep();
    setTimeout(idle.wake, 10);
    assert.ok((await timed(() => idle.sleep(5_000, never))) < 1_000);
  });

  it('keeps a wake-up that came before the sleep until it is cleared', async () => {
    const idle = createWakeableSleep();
    idle.wake();
    assert.ok((await timed(() => idle.sleep(5_000, never))) < 1_000);
    assert.ok((await timed(() => idle.sleep(5_000, never))) < 1_000, 'kept until cleared');
    idle.clear();
    assert.ok((await timed(() => idle.sleep(50, never))) >= 45);
  });

  it('ends a sleep on abort, and does not start one after it', async () => {
    const idle = createWakeableSleep();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    assert.ok((await timed(() => idle.sleep(5_000, controller.signal))) < 1_000);
    assert.ok((await timed(() => idle.sleep(5_000, controller.signal))) < 1_000);
  });
});
