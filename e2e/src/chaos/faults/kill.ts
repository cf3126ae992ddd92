import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault } from './fault.js';
import { schedule } from './fault.js';

/**
 * Kills past the consumer-group session timeout (10 s) apart: each kill's rebalance settles
 * before the next, so the run tests recovery rather than a group that never stabilizes.
 */
const GAP_MS = 12_000;

/** SIGKILLs a random service instance at random times and starts it again after a while. */
export const kill: Fault = {
  kind: 'kill',
  async inject(context) {
    const count = Math.max(1, Math.floor(context.loadMs / GAP_MS));
    for (const atMs of schedule(context, count, GAP_MS)) {
      await context.at(atMs);
      if (context.signal.aborted) return;
      const victim = context.random.pick(context.cluster.instances());
      const downMs = context.random.int(500, 4_000);
      await context.cluster.kill(victim);
      context.record(`SIGKILL ${victim.handle.name}, down for ${downMs} ms`);
      await sleep(downMs);
      const begin = Date.now();
      await context.cluster.restart(victim);
      context.record(`${victim.handle.name} restarted, ready after ${Date.now() - begin} ms`);
    }
  },
};
