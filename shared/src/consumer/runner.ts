import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import pRetry, { AbortError } from 'p-retry';
import type { EventCodec } from '../codec/index.js';
import type { DatabaseHandle } from '../db/index.js';
import { UndecodableEventError } from '../errors/index.js';
import type { Topic } from '../events/index.js';
import { type FaultHooks, noFaults } from '../faults/index.js';
import type { Logger } from '../logger/index.js';
import type { PlatformMetrics } from '../metrics/index.js';
import { unitOfWork } from '../outbox/index.js';
import { withSpanFromHeaders } from '../telemetry/index.js';
import { classifyFailure } from './classify.js';
import { createDeadLetterQueue, type DeadLetterQueue } from './dead-letter.js';
import { createGroupCommit } from './group-commit.js';
import type { EventHandler, HandlerContext, Handlers } from './handler.js';
import { recordedNow, recordProcessed } from './inbox.js';
import { createOffsetCommits, type OffsetCommits } from './offset-commits.js';

export interface RetryPolicy {
  /** First delay, ms. Default 100. */
  initialInterval?: number;
  backoffCoefficient?: number;
  /** Delay cap, ms. Default 5000. */
  maximumInterval?: number;
  /** Attempts for failures of unknown kind before dead-lettering. Transient ones never stop. */
  maximumAttempts?: number;
}

export interface ConsumerRunnerConfig {
  /** Short service name: group `<service>-service`, topics `<service>.retry` and `<service>.dlq`. */
  service: string;
  kafka: Kafka;
  database: DatabaseHandle;
  codec: EventCodec;
  handlers: Handlers;
  logger: Logger;
  metrics?: PlatformMetrics;
  faults?: FaultHooks;
  retry?: RetryPolicy;
  /** Called after a transaction that emitted events commits (wakes the relay). */
  afterCommit?: () => void;
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

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) result[name] = String(value);
  }
  return result;
}

/** Whether this member may still apply the batch: not stopping, and the partition not revoked. */
const stillOwned = (payload: EachBatchPayload, signal: AbortSignal) =>
  !signal.aborted && payload.isRunning() && !payload.isStale();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createConsumerRunner(config: ConsumerRunnerConfig): ConsumerRunner {
  const { service, kafka, database, codec, handlers, metrics } = config;
  const faults = config.faults ?? noFaults;
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
  const eventTopics = Object.keys(handlers) as Topic[];
  const maxBatchSize = config.maxBatchSize ?? 50;

  /** The event's own topic: a re-delivery on the retry topic names it in `event-type`. */
  function eventTopicOf(topic: string, headers: Record<string, string>): Topic {
    const eventTopic = topic === retryTopic ? headers['event-type'] : topic.slice(prefix.length);
    if (!eventTopic || !(eventTopic in handlers)) {
      throw new UndecodableEventError(`No handler for event type "${eventTopic}" on ${topic}`);
    }
    return eventTopic as Topic;
  }

  /** Decodes a delivery; throws a permanent error for anything that can never be applied. */
  async function decode(topic: string, message: KafkaMessage, headers: Record<string, string>) {
    const eventTopic = eventTopicOf(topic, headers);
    if (!message.value) throw new UndecodableEventError(`Empty value on ${topic}`);
    const event = await codec.decode(eventTopic, message.value);
    if (!UUID.test(event.eventId)) {
      throw new UndecodableEventError(`eventId "${event.eventId}" is not a UUID`);
    }
    // The inbox answers in PostgreSQL's canonical form of a uuid.
    const eventId = event.eventId.toLowerCase();
    const orderId = 'orderId' in event ? event.orderId : undefined;
    return { topic, headers, eventTopic, event, eventId, orderId };
  }
  type Decoded = Awaited<ReturnType<typeof decode>>;

  /**
   * Applies events in ONE transaction: per event, inbox row + effects + emitted events, each in
   * its own span continuing the event's trace. Returns, per event, applied or duplicate and the
   * seconds spent on it inside the transaction.
   */
  async function applyTogether(events: readonly Decoded[]) {
    const committed: (() => void)[] = [];
    const { value: outcomes, emitted } = await unitOfWork(
      database.pool,
      codec,
      async (tx, emit, opened) => {
        const recorded = recordedNow(opened);
        const results: { outcome: 'ok' | 'duplicate'; seconds: number }[] = [];
        for (const { topic, headers, eventTopic, event, eventId, orderId } of events) {
          const attributes = {
            'messaging.destination.name': topic,
            'saga.event_id': eventId,
            'saga.order_id': orderId ?? '',
          };
          const started = performance.now();
          const outcome = await withSpanFromHeaders(
            `${eventTopic} process`,
            headers,
            attributes,
            async (trace) => {
              // Recorded earlier, or a second copy within this batch.
              if (!recorded.delete(eventId)) return 'duplicate' as const;
              const handler = handlers[eventTopic] as EventHandler<Topic>;
              let eventLogger: Logger | undefined;
              const context: HandlerContext = {
                tx,
                topic: eventTopic,
                eventId,
                // Created on first use: most events are handled without logging.
                get logger() {
                  eventLogger ??= config.logger.child({
                    orderId,
                    eventId,
                    traceId: trace.traceId,
                    topic: eventTopic,
                  });
                  return eventLogger;
                },
                emit: (caused) => emit(caused, trace.headers),
                trace: trace.headers,
                onCommitted: (callback) => committed.push(callback),
              };
              await handler(event, context);
              return 'ok' as const;
            },
          );
          results.push({ outcome, seconds: (performance.now() - started) / 1000 });
        }
        return results;
      },
      {
        opening: recordProcessed(
          consumerName,
          events.map(({ eventId }) => eventId),
        ),
      },
    );
    faults.reach('consumer.after-commit');
    if (emitted) config.afterCommit?.();
    for (const callback of committed) callback();
    return outcomes;
  }

  /** Events of several partitions' batches in one transaction (see group-commit.ts). */
  const groupCommit = createGroupCommit(applyTogether);

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

  async function handleMessage(
    payload: EachBatchPayload,
    message: KafkaMessage,
    dlq: DeadLetterQueue,
    signal: AbortSignal,
  ): Promise<'done' | 'revoked'> {
    const { topic, partition } = payload.batch;
    const headers = stringHeaders(message.headers);
    const started = performance.now();
    let attempts = 0;
    let revoked = false;
    const outcome = await pRetry(
      async () => {
        attempts++;
        if (!stillOwned(payload, signal)) {
          revoked = true;
          throw new AbortError('partition revoked or consumer stopping');
        }
        // Heartbeat while a slow handler runs, so it does not cost this member its partitions.
        const beat = setInterval(() => payload.heartbeat().catch(() => {}), 1_000);
        try {
          const [applied] = await applyTogether([await decode(topic, message, headers)]);
          return applied!.outcome;
        } finally {
          clearInterval(beat);
        }
      },
      {
        retries: Number.POSITIVE_INFINITY,
        minTimeout: retry.initialInterval,
        factor: retry.backoffCoefficient,
        maxTimeout: retry.maximumInterval,
        randomize: true,
        shouldRetry: async ({ error, attemptNumber }) => {
          const kind = classifyFailure(error);
          const again =
            kind === 'transient' || (kind === 'unknown' && attemptNumber < retry.maximumAttempts);
          if (again) {
            metrics?.eventsHandled.inc({ topic, outcome: 'retried' });
            logger.warn(
              { err: error, topic, partition, offset: message.offset, attempt: attemptNumber },
              `event failed (${kind}); retrying`,
            );
            await payload.heartbeat().catch(() => {});
          }
          return again;
        },
      },
    ).catch(async (error: unknown) => {
      // p-retry rejects with the AbortError's inner error, never with the AbortError itself.
      if (revoked) return 'revoked' as const;
      await sendToDlq(dlq, { topic, partition, message, headers, error, attempts });
      return 'dead-lettered' as const;
    });
    if (outcome === 'revoked') return 'revoked';
    metrics?.eventsHandled.inc({ topic, outcome });
    metrics?.handlerDuration.observe({ topic }, (performance.now() - started) / 1000);
    return 'done';
  }

  /**
   * A partition's batch, chunk by chunk. Only after a chunk's transaction commits may its offsets
   * move past it; a chunk left when the member stops or loses the partition is fetched again.
   */
  async function consumeBatch(
    payload: EachBatchPayload,
    dlq: DeadLetterQueue,
    offsets: OffsetCommits,
    signal: AbortSignal,
  ) {
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
          if ((await handleMessage(payload, message, dlq, signal)) === 'revoked') return;
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
  }

  async function sendToDlq(
    dlq: DeadLetterQueue,
    letter: {
      topic: string;
      partition: number;
      message: KafkaMessage;
      headers: Record<string, string>;
      error: unknown;
      attempts: number;
    },
  ) {
    logger.error(
      { err: letter.error, topic: letter.topic, offset: letter.message.offset },
      `dead-lettering to ${dlqTopic}`,
    );
    // The dead letter must land before the partition moves on: wait out a broker outage.
    await pRetry(
      () =>
        dlq.send({
          topic: letter.topic,
          partition: letter.partition,
          offset: letter.message.offset,
          key: letter.message.key,
          value: letter.message.value,
          headers: letter.headers,
          error: letter.error,
          attempts: letter.attempts,
        }),
      {
        retries: Number.POSITIVE_INFINITY,
        minTimeout: retry.initialInterval,
        maxTimeout: retry.maximumInterval,
        onFailedAttempt: ({ error }) => logger.error({ err: error }, 'dead-letter publish failed'),
      },
    );
  }

  async function pruneInbox() {
    const retentionMs = config.inboxRetentionMs ?? 7 * 24 * 60 * 60 * 1000;
    await database.pool
      .query(
        `DELETE FROM processed_events WHERE consumer = $1
           AND processed_at < now() - make_interval(secs => $2)`,
        [consumerName, retentionMs / 1000],
      )
      .catch((error) => logger.warn({ err: error }, 'inbox pruning failed'));
  }

  /**
   * One kafkajs consumer, from joining the group until `stopped` (resolves with nothing) or until
   * it fails for good (resolves with the error). kafkajs restarts its consumer after most
   * failures, but after a few it deems final, such as finding no group coordinator while the
   * broker restarts, it only disconnects: the caller then starts a new one.
   */
  async function consumeUntilStopped(
    dlq: DeadLetterQueue,
    signal: AbortSignal,
    stopped: Promise<void>,
  ) {
    const consumer: Consumer = kafka.consumer({
      // Prefixed like the topics: environments sharing a broker must not share a group. The
      // inbox keeps the unprefixed name.
      groupId: prefix + consumerName,
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
      intervalMs: config.offsetCommitIntervalMs ?? 200,
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
      const topics = [...eventTopics.map((topic) => prefix + topic), retryTopic];
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
          partitionsConsumedConcurrently: config.partitionsConsumedConcurrently ?? 12,
          eachBatch: async (payload) => {
            batchesRunning++;
            try {
              await consumeBatch(payload, dlq, offsets, signal);
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

  return {
    async run(signal) {
      const dlq = await createDeadLetterQueue(kafka, dlqTopic, consumerName);
      const stopped = new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      const pruning = setInterval(pruneInbox, 60 * 60 * 1000);
      void pruneInbox();
      try {
        // A consumer that failed for good is replaced: an outage is waited out, never the end.
        for (let failures = 0; !signal.aborted; failures++) {
          const failure = await consumeUntilStopped(dlq, signal, stopped);
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
