import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import type { EventCodec } from '../codec/index.js';
import type { DatabaseHandle } from '../db/index.js';
import type { Topic } from '../events/index.js';
import { type FaultHooks, noFaults } from '../faults/index.js';
import type { Logger } from '../logger/index.js';
import type { PlatformMetrics } from '../metrics/index.js';
import { type OpenUnitOfWork, unitsOfWork } from '../outbox/index.js';
import { createApply } from './apply.js';
import { createConsumeBatch } from './batch.js';
import { createDeadLetterQueue } from './dead-letter.js';
import { createDecode } from './decode.js';
import { runGroupMember } from './group-member.js';
import type { Handlers } from './handler.js';
import { pruneInbox } from './inbox.js';
import { createApplyOne, type RetryPolicy } from './poison.js';

export interface ConsumerRunnerConfig {
  /** Short service name: group `<service>-service`, topics `<service>.retry` and `<service>.dlq`. */
  service: string;
  kafka: Kafka;
  database: DatabaseHandle;
  codec: EventCodec;
  /**
   * Opens the unit of work each transaction of events runs in, the service's own so that it wakes
   * the relay. Default: units of work on `database` that wake nothing.
   */
  openUnitOfWork?: OpenUnitOfWork;
  handlers: Handlers;
  logger: Logger;
  metrics?: PlatformMetrics;
  faults?: FaultHooks;
  retry?: RetryPolicy;
  /** Prepended to every Kafka topic name, to isolate environments sharing a broker. Default ''. */
  topicPrefix?: string;
  /**
   * Events of one partition's backlog per transaction. Default 50. A transaction also takes the
   * chunks of other partitions that are ready, so it holds at most this many times
   * `partitionsConsumedConcurrently` events.
   */
  maxBatchSize?: number;
  /** Partitions processed in parallel. Default 12. */
  partitionsConsumedConcurrently?: number;
  /** Inbox rows are kept this long, at least the replay window, ms. Default 7 days. */
  inboxRetentionMs?: number;
  /**
   * Offsets of applied events are committed to Kafka at most this often, and on shutdown, ms.
   * A crash re-delivers at most this much, which the inbox skips. Default 200.
   */
  offsetCommitIntervalMs?: number;
}

export interface ConsumerRunner {
  /** Consumes until `signal` aborts, then finishes in-flight work and commits its offsets. */
  run(signal: AbortSignal): Promise<void>;
}

/**
 * Composes the consumer (decode → apply together, or one by one with retries and dead letters)
 * and supervises its group member: one that fails for good is replaced.
 */
export function createConsumerRunner(config: ConsumerRunnerConfig): ConsumerRunner {
  const { service, kafka, database, codec, handlers, metrics } = config;
  const consumerName = `${service}-service`;
  const prefix = config.topicPrefix ?? '';
  const retryTopic = `${prefix}${service}.retry`;
  const dlqTopic = `${prefix}${service}.dlq`;
  const retry = {
    initialInterval: 100,
    backoffCoefficient: 2,
    maximumInterval: 5_000,
    maximumAttempts: 5,
    ...config.retry,
  };
  const logger = config.logger.child({ component: 'consumer' });
  const decode = createDecode(codec, handlers, { prefix, retryTopic });
  const apply = createApply({
    consumer: consumerName,
    handlers,
    openUnitOfWork: config.openUnitOfWork ?? unitsOfWork(database.pool, codec, () => {}),
    logger: config.logger,
    faults: config.faults ?? noFaults,
  });
  const retentionMs = config.inboxRetentionMs ?? 7 * 24 * 60 * 60 * 1000;
  const prune = () =>
    pruneInbox(database.pool, consumerName, retentionMs).catch((error) =>
      logger.warn({ err: error }, 'inbox pruning failed'),
    );

  return {
    async run(signal) {
      const dlq = await createDeadLetterQueue(kafka, dlqTopic, consumerName);
      const applyOne = createApplyOne({ decode, apply, retry, dlq, dlqTopic, logger, metrics });
      const member = {
        kafka,
        // Prefixed like the topics: environments sharing a broker must not share a group. The
        // inbox keeps the unprefixed name.
        groupId: prefix + consumerName,
        topics: [...(Object.keys(handlers) as Topic[]).map((topic) => prefix + topic), retryTopic],
        consumeBatch: createConsumeBatch({
          decode,
          apply,
          applyOne,
          maxBatchSize: config.maxBatchSize ?? 50,
          logger,
          metrics,
        }),
        partitionsConsumedConcurrently: config.partitionsConsumedConcurrently ?? 12,
        offsetCommitIntervalMs: config.offsetCommitIntervalMs ?? 200,
        logger,
      };
      const stopped = new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      const pruning = setInterval(prune, 60 * 60 * 1000);
      void prune();
      try {
        // A member that failed for good is replaced: an outage is waited out, never the end.
        for (let failures = 0; !signal.aborted; failures++) {
          const failure = await runGroupMember(member, signal, stopped);
          if (!failure) break;
          const delay = Math.min(retry.initialInterval * 2 ** failures, retry.maximumInterval);
          metrics?.consumerRestarts.inc();
          logger.error(
            { err: failure.error, restartInMs: delay },
            'consumer failed; starting a new one',
          );
          await sleep(delay, undefined, { signal }).catch(() => {});
        }
      } finally {
        clearInterval(pruning);
        await dlq.close();
      }
    },
  };
}
