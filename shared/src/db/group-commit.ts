/**
 * Applies work submitted by concurrent callers in shared transactions, like a database's group
 * commit: a transaction's round trips and its commit cost more than a small piece of work, and
 * under load many pieces arrive at once. kafkajs, for one, runs one `eachBatch` per partition,
 * and under a steady flow a fetch brings an event or two for each of several partitions.
 * Submissions that arrive in the same turn of the event loop, or while a transaction runs, go
 * into the next transaction together; one runs at a time.
 *
 * When a shared transaction fails, every submission in it is rejected with that error, and each
 * caller decides alone how to go on (batch.ts applies its events one by one).
 */
export interface GroupCommit<T, R> {
  /** Resolves with one result per item, in order, once the transaction holding them commits. */
  submit(items: readonly T[]): Promise<R[]>;
}

interface Submission<T, R> {
  items: readonly T[];
  resolve(results: R[]): void;
  reject(error: unknown): void;
}

export function createGroupCommit<T, R>(
  applyAll: (items: readonly T[]) => Promise<R[]>,
): GroupCommit<T, R> {
  let pending: Submission<T, R>[] = [];
  let busy = false;

  const schedule = () => {
    if (busy || pending.length === 0) return;
    busy = true;
    // setImmediate, not a microtask: work started by the same turn (the other partitions'
    // batches of one fetch, say) is still being submitted and should make this transaction.
    setImmediate(flush);
  };

  async function flush() {
    const taken = pending;
    pending = [];
    try {
      const results = await applyAll(taken.flatMap((submission) => submission.items));
      let start = 0;
      for (const submission of taken) {
        submission.resolve(results.slice(start, start + submission.items.length));
        start += submission.items.length;
      }
    } catch (error) {
      for (const submission of taken) submission.reject(error);
    } finally {
      busy = false;
      schedule();
    }
  }

  return {
    submit(items) {
      return new Promise<R[]>((resolve, reject) => {
        pending.push({ items, resolve, reject });
        schedule();
      });
    },
  };
}
