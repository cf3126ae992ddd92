import type { Fault } from './fault.js';

const POINTS = 'consumer.after-commit,relay.after-publish';

/**
 * Every instance starts with both crash points on: it SIGKILLs itself right after a consumer
 * commit (offset not committed) or a relay publish (rows not marked). The crash draws come from
 * the service's own unseeded Math.random, so only this fault's timing is not reproducible.
 * After `budget` crashes, instances restart with the points off so the run can settle.
 */
export function crashPoints(probability: number, budget: number): Fault {
  let crashes = 0;
  return {
    kind: 'crash-points',
    serviceEnv: { SAGA_FAULTS: POINTS, SAGA_FAULT_PROBABILITY: String(probability) },
    explainExit(exit, record) {
      if (exit.status !== 'SIGKILL') return undefined;
      crashes += 1;
      const spent = crashes >= budget;
      record(
        `${exit.name} died at a crash point (crash ${crashes}), restarting` +
          (spent ? ' with the points off' : ''),
      );
      const restart: Record<string, string> = spent ? { SAGA_FAULTS: '' } : {};
      return restart;
    },
    async inject() {},
  };
}
