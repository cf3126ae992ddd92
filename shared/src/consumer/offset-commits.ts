/**
 * Kafka offsets of events whose transactions have committed, sent to the group coordinator at
 * most once per interval. kafkajs' own auto-commit sends an OffsetCommit after every partition's
 * batch: under a steady flow that is several requests per fetch, each a write to
 * `__consumer_offsets`, and the next fetch waits for them. A commit that never reaches Kafka
 * only means a re-delivery, which the inbox absorbs; so committing late costs duplicates after
 * a crash, never an event.
 */
export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to consume, as Kafka stores it. */
  offset: string;
}

export interface OffsetCommits {
  /** The message at `offset` and all before it on its partition are applied. */
  applied(topic: string, partition: number, offset: string): void;
  /** Forgets offsets of partitions outside `assignment` (topic → partitions), after a rebalance. */
  retain(assignment: Record<string, readonly number[]>): void;
  /** Commits everything applied so far; resolves once Kafka has it (or the commit failed). */
  flush(): Promise<void>;
  /** Cancels the pending timer; offsets applied afterwards wait for an explicit `flush()`. */
  close(): void;
}

export function createOffsetCommits(
  commit: (offsets: TopicPartitionOffset[]) => Promise<void>,
  options: { intervalMs: number; onError(error: unknown): void },
): OffsetCommits {
  const due = new Map<string, TopicPartitionOffset>();
  const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  // One commit at a time, so a slow one cannot be overtaken by an older offset.
  let committing: Promise<void> = Promise.resolve();

  const schedule = () => {
    if (closed || timer || due.size === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, options.intervalMs);
  };

  async function send() {
    const entries = [...due.values()];
    due.clear();
    if (entries.length === 0) return;
    try {
      await commit(entries);
    } catch (error) {
      options.onError(error);
      // Put back what nothing newer has replaced.
      for (const entry of entries) {
        const key = keyOf(entry.topic, entry.partition);
        if (!due.has(key)) due.set(key, entry);
      }
    }
  }

  function flush(): Promise<void> {
    committing = committing.then(send).finally(schedule);
    return committing;
  }

  return {
    applied(topic, partition, offset) {
      due.set(keyOf(topic, partition), { topic, partition, offset: String(BigInt(offset) + 1n) });
      schedule();
    },
    retain(assignment) {
      for (const [key, { topic, partition }] of due) {
        if (!assignment[topic]?.includes(partition)) due.delete(key);
      }
    },
    flush,
    close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
