import type { Consumer } from 'kafkajs';
import { DlqToolError } from './errors.js';

export interface Membership {
  /** Rejects once the tool no longer holds the whole DLQ alone. */
  lost: Promise<never>;
  /** Throws if it was lost; called right before recording progress. */
  check(): void;
}

/**
 * The tool's stable group doubles as its lock: a run that replays or purges must be the only
 * member and hold every partition of the DLQ. A second run joining forces a rebalance, which both
 * runs see here, and both stop before recording anything.
 */
export function watchMembership(
  consumer: Consumer,
  topic: string,
  partitions: readonly number[],
): Membership {
  let problem: DlqToolError | undefined;
  let fail: (error: DlqToolError) => void = () => {};
  const lost = new Promise<never>((_, reject) => {
    fail = reject;
  });
  lost.catch(() => {}); // observed through check() when nobody awaits it
  let joins = 0;
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    joins++;
    const held = payload.memberAssignment[topic] ?? [];
    if (joins > 1 || partitions.some((partition) => !held.includes(partition))) {
      problem = new DlqToolError(
        `Another run of the DLQ tool is working on ${topic}; this one stops without recording ` +
          'its progress (anything it replayed may be replayed again, which the consumer absorbs). ' +
          'Run one at a time.',
      );
      fail(problem);
    }
  });
  return {
    lost,
    check() {
      if (problem) throw problem;
    },
  };
}
