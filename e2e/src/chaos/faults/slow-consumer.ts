import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault } from './fault.js';
import { gatewayEpisode } from './gateway.js';

/** Longer than the consumer-group session timeout (10 s): the group evicts the frozen member. */
const FROZEN_MS = 15_000;

/**
 * Handler latency cannot be injected from outside, so two stand-ins: a slow gateway (payment
 * handlers wait on it) and a consumer instance frozen with SIGSTOP past its session timeout, so
 * the group rebalances without it and it resumes (SIGCONT) holding partitions it lost. Only
 * payment, inventory and delivery instances are frozen: a frozen order-service would also stall
 * the HTTP load, which the kill fault covers.
 */
/** SIGCONT, unless another fault killed the frozen process meanwhile. */
function resume(pid: number) {
  try {
    process.kill(pid, 'SIGCONT');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export const slowConsumer: Fault = {
  kind: 'slow-consumer',
  async inject(context) {
    const slowGateway = gatewayEpisode(
      context,
      { latencyMs: { min: 200, max: 1_500 } },
      { latencyMs: { min: 0, max: 0 } },
      [10_000, 20_000],
    );
    const freeze = (async () => {
      await context.at(Math.round(context.loadMs * (0.2 + context.random.next() * 0.3)));
      if (context.signal.aborted) return;
      const candidates = context.cluster.instances().filter((i) => i.service !== 'order');
      const { handle } = context.random.pick(candidates);
      process.kill(handle.pid, 'SIGSTOP');
      context.record(`SIGSTOP ${handle.name} for ${FROZEN_MS} ms`);
      try {
        await sleep(FROZEN_MS);
      } finally {
        resume(handle.pid);
      }
      context.record(`SIGCONT ${handle.name}`);
    })();
    await Promise.all([slowGateway, freeze]);
  },
};
