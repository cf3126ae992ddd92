import type { Consumer, Kafka } from 'kafkajs';
import pRetry from 'p-retry';
import type { Logger } from '../logger/index.js';
import type { ConsumeBatch } from './batch.js';
import { createOffsetCommits } from './offset-commits.js';

export interface GroupMemberOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  consumeBatch: ConsumeBatch;
  partitionsConsumedConcurrently: number;
  offsetCommitIntervalMs: number;
  logger: Logger;
}

/**
 * One kafkajs consumer, from joining the group until `stopped` (resolves with nothing) or until
 * it fails for good (resolves with the error). kafkajs restarts its consumer after most
 * failures, but after a few it deems final, such as finding no group coordinator while the
 * broker restarts, it only disconnects: the caller then starts a new one.
 */
export async function runGroupMember(
  options: GroupMemberOptions,
  signal: AbortSignal,
  stopped: Promise<void>,
): Promise<{ error: unknown } | undefined> {
  const { kafka, groupId, topics, consumeBatch, logger } = options;
  const consumer: Consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    // A SIGKILLed member's partitions move after 10 s. Slow handlers heartbeat every second
    // while they run, so a short session does not cost them their partitions.
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    // Long polls return as soon as data arrives; a short wait only bounds shutdown time.
    maxWaitTimeInMs: 500,
  });
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<{ error: unknown }>(
    (resolve) => (fail = (error) => resolve({ error })),
  );
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) fail(payload.error);
  });
  const offsets = createOffsetCommits((entries) => consumer.commitOffsets(entries), {
    intervalMs: options.offsetCommitIntervalMs,
    onError: (error) => logger.warn({ err: error }, 'offset commit failed; retrying'),
  });
  // Offsets of partitions given away are the new owner's to commit.
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
    offsets.retain(payload.memberAssignment),
  );
  let batchesRunning = 0;
  let drained: (() => void) | undefined;
  let failure: { error: unknown } | undefined;
  try {
    await consumer.connect();
    // Topics created a moment ago may not be in the broker's metadata yet (UNKNOWN_TOPIC).
    await pRetry(() => consumer.subscribe({ topics, fromBeginning: true }), {
      retries: 10,
      maxTimeout: 2_000,
    });
    // Not awaited: run() resolves only once the group is joined, which can wait for a dead
    // member's session to expire; a stop must be heard meanwhile.
    consumer
      .run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
        eachBatch: async (payload) => {
          batchesRunning++;
          try {
            await consumeBatch(payload, offsets, signal);
          } finally {
            if (--batchesRunning === 0) drained?.();
          }
        },
      })
      .catch(fail);
    failure = await Promise.race([stopped.then(() => undefined), failed]);
  } catch (error) {
    failure = { error };
  } finally {
    // Batches still running see the stop after their current chunk. Their offsets are
    // committed while this member is still in the group, then it leaves; a member that
    // failed is out of the group already, and its uncommitted events come again.
    if (batchesRunning > 0) await new Promise<void>((resolve) => (drained = resolve));
    offsets.close();
    if (!failure) await offsets.flush();
    await consumer.disconnect().catch(() => {});
  }
  return failure;
}
