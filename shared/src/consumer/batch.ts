import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { createGroupCommit } from '../db/index.js';
import type { Logger } from '../logger/index.js';
import type { PlatformMetrics } from '../metrics/index.js';
import type { Apply } from './apply.js';
import { type Decode, stringHeaders } from './decode.js';
import type { OffsetCommits } from './offset-commits.js';
import { stillOwned } from './owned.js';
import type { ApplyOne } from './poison.js';

export interface BatchOptions {
  decode: Decode;
  apply: Apply;
  applyOne: ApplyOne;
  /** Events of one partition's backlog per transaction. */
  maxBatchSize: number;
  logger: Logger;
  metrics?: PlatformMetrics;
}

/** Consumes one partition's batch; offsets move only past events whose transaction committed. */
export type ConsumeBatch = (
  payload: EachBatchPayload,
  offsets: OffsetCommits,
  signal: AbortSignal,
) => Promise<void>;

export function createConsumeBatch({
  decode,
  apply,
  applyOne,
  maxBatchSize,
  logger,
  metrics,
}: BatchOptions): ConsumeBatch {
  /** Events of several partitions' batches in one transaction (see group-commit.ts). */
  const groupCommit = createGroupCommit(apply);

  /**
   * Applies a partition's chunk in a transaction shared with other partitions' chunks: a commit
   * per fetch instead of per partition or per event. Any failure (a poison event, a deadlock,
   * a lost connection) rolls the transaction back, and each caller applies its events one by
   * one, where retries and dead-lettering are decided.
   */
  async function tryTogether(payload: EachBatchPayload, messages: readonly KafkaMessage[]) {
    try {
      const { topic } = payload.batch;
      const decoded = await Promise.all(
        messages.map((message) => decode(topic, message, stringHeaders(message.headers))),
      );
      for (const { outcome, seconds } of await groupCommit.submit(decoded)) {
        metrics?.eventsHandled.inc({ topic, outcome });
        metrics?.handlerDuration.observe({ topic }, seconds);
      }
      return true;
    } catch (error) {
      logger.debug({ err: error }, 'transaction rolled back; applying its events one by one');
      return false;
    }
  }

  /**
   * Chunk by chunk. A chunk left when the member stops or loses the partition is fetched again.
   */
  return async (payload, offsets, signal) => {
    const { topic, partition, messages } = payload.batch;
    const applied = (offset: string) => {
      payload.resolveOffset(offset);
      offsets.applied(topic, partition, offset);
    };
    for (let start = 0; start < messages.length; start += maxBatchSize) {
      if (!stillOwned(payload, signal)) return;
      const chunk = messages.slice(start, start + maxBatchSize);
      if (await tryTogether(payload, chunk)) {
        applied(chunk.at(-1)!.offset);
      } else {
        for (const message of chunk) {
          if ((await applyOne(payload, message, signal)) === 'revoked') return;
          applied(message.offset);
          await payload.heartbeat();
        }
      }
      await payload.heartbeat();
    }
    metrics?.consumerLag.set(
      { topic, partition: String(partition) },
      Number(payload.batch.offsetLag()),
    );
  };
}
