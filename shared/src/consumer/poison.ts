import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import pRetry, { AbortError } from 'p-retry';
import type { Logger } from '../logger/index.js';
import type { PlatformMetrics } from '../metrics/index.js';
import type { Apply } from './apply.js';
import { classifyFailure } from './classify.js';
import type { DeadLetter, DeadLetterQueue } from './dead-letter.js';
import { type Decode, stringHeaders } from './decode.js';
import { stillOwned } from './owned.js';

export interface RetryPolicy {
  /** First delay, ms. Default 100. */
  initialInterval?: number;
  backoffCoefficient?: number;
  /** Delay cap, ms. Default 5000. */
  maximumInterval?: number;
  /** Attempts for failures of unknown kind before dead-lettering. Transient ones never stop. */
  maximumAttempts?: number;
}

export interface ApplyOneOptions {
  decode: Decode;
  apply: Apply;
  retry: Required<RetryPolicy>;
  dlq: DeadLetterQueue;
  dlqTopic: string;
  logger: Logger;
  metrics?: PlatformMetrics;
}

/**
 * Applies one event alone, where a failure is judged: transient ones are retried until they
 * pass, unknown ones `maximumAttempts` times, and an event that cannot be applied is
 * dead-lettered so that its partition moves on.
 */
export type ApplyOne = (
  payload: EachBatchPayload,
  message: KafkaMessage,
  signal: AbortSignal,
) => Promise<'done' | 'revoked'>;

export function createApplyOne({
  decode,
  apply,
  retry,
  dlq,
  dlqTopic,
  logger,
  metrics,
}: ApplyOneOptions): ApplyOne {
  /** The dead letter must land before the partition moves on: wait out a broker outage. */
  async function deadLetter(letter: DeadLetter) {
    logger.error(
      { err: letter.error, topic: letter.topic, offset: letter.offset },
      `dead-lettering to ${dlqTopic}`,
    );
    await pRetry(() => dlq.send(letter), {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: retry.initialInterval,
      maxTimeout: retry.maximumInterval,
      onFailedAttempt: ({ error }) => logger.error({ err: error }, 'dead-letter publish failed'),
    });
  }

  return async (payload, message, signal) => {
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
          const [applied] = await apply([await decode(topic, message, headers)]);
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
      await deadLetter({
        topic,
        partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        headers,
        error,
        attempts,
      });
      return 'dead-lettered' as const;
    });
    if (outcome === 'revoked') return 'revoked';
    metrics?.eventsHandled.inc({ topic, outcome });
    metrics?.handlerDuration.observe({ topic }, (performance.now() - started) / 1000);
    return 'done';
  };
}
