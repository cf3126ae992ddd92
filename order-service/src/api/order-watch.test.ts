import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { createOrderWatch } from './order-watch.js';

const HOUR = 60 * 60 * 1000;

const watchFor = (maxWaiters = 10) => createOrderWatch({ maxWaiters, registry: new Registry() });

/** Whether `promise` has settled by the time already-queued callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('order watch', () => {
  it('wakes the waiters of the order that moved, and only them', async () => {
    const watch = watchFor();
    const first = watch.register('a')!;
    const second = watch.register('a')!;
    const other = watch.register('b')!;
    const waits = [first.next(HOUR), second.next(HOUR), other.next(HOUR)];
    watch.ended('a');
    assert.deepEqual(await Promise.all(waits.map(settled)), [true, true, false]);
    for (const waiter of [first, second, other]) waiter.release();
  });

  it('keeps a move that came while the waiter was not waiting', async () => {
    const watch = watchFor();
    const waiter = watch.register('a')!;
    watch.ended('a');
    assert.ok(await settled(waiter.next(HOUR)), 'the earlier move ends the next wait at once');
    assert.equal(await settled(waiter.next(HOUR)), false, 'and only that one');
    waiter.release();
  });

  it('ends a wait after its time', async () => {
    const watch = watchFor();
    const waiter = watch.register('a')!;
    await waiter.next(1);
    assert.equal(waiter.released, false);
    waiter.release();
  });

  it('ends a pending wait when released and forgets the waiter', async () => {
    const watch = watchFor();
    const waiter = watch.register('a')!;
    const wait = waiter.next(HOUR);
    assert.equal(watch.size, 1);
    waiter.release();
    waiter.release();
    assert.ok(await settled(wait));
    assert.equal(waiter.released, true);
    assert.equal(watch.size, 0);
  });

  it('refuses waiters over its cap, and takes them again once one left', async () => {
    const registry = new Registry();
    const watch = createOrderWatch({ maxWaiters: 2, registry });
    const waiters = [watch.register('a'), watch.register('b')];
    assert.equal(watch.register('c'), undefined);
    const metrics = await registry.metrics();
    assert.match(metrics, /^saga_order_waiters 2$/m);
    assert.match(metrics, /^saga_order_waits_refused_total 1$/m);
    waiters[0]?.release();
    assert.ok(watch.register('c'));
  });

  it('releases every waiter when closed, and refuses new ones', async () => {
    const watch = watchFor();
    const waiters = [watch.register('a')!, watch.register('a')!, watch.register('b')!];
    const waits = waiters.map((waiter) => waiter.next(HOUR));
    watch.close();
    assert.deepEqual(await Promise.all(waits.map(settled)), [true, true, true]);
    assert.ok(waiters.every((waiter) => waiter.released));
    assert.equal(watch.size, 0);
    assert.equal(watch.register('a'), undefined);
  });
});
