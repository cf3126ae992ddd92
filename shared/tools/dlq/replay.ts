import { retryTopic } from '@saga/shared/topics';
import type { Kafka, Message } from 'kafkajs';
import { type DeadLetterEntry, REPLAY_COUNT_HEADER } from './entry.js';
import type { DeadLetterAction, HandleResult } from './result.js';
import { type Selection, selectPending } from './select.js';
import { type DlqTarget, openSession } from './session.js';

export interface ReplayOptions extends DlqTarget, Selection {
  /** The loop guard: an event replayed this many times already is refused. Default 3. */
  maxReplays?: number;
  dryRun?: boolean;
}

/** What a replay carries over; the dead letter's bookkeeping headers stay behind. */
const KEPT_HEADERS = ['event-id', 'traceparent', 'tracestate'];

function replayMessage(entry: DeadLetterEntry): Message {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = entry.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  return {
    key: entry.key,
    value: entry.value,
    headers: {
      ...headers,
      'event-type': entry.eventType!,
      [REPLAY_COUNT_HEADER]: String(entry.replayCount + 1),
    },
  };
}

function decide(entry: DeadLetterEntry, maxReplays: number): DeadLetterAction {
  if (entry.replayCount >= maxReplays) {
    const reason =
      `replayed ${entry.replayCount} times already (--max-replays ${maxReplays}): ` +
      'fix the cause, then replay with a higher --max-replays, or purge it';
    return { entry, action: 'refused', reason };
  }
  if (entry.eventType === undefined) {
    return {
      entry,
      action: 'refused',
      reason: 'no event-type header: the consumer cannot dispatch it',
    };
  }
  return { entry, action: 'replayed' };
}

/**
 * Re-publishes pending dead letters to `<service>.retry`, where the consumer dispatches them by
 * `event-type`, then records them as replayed. Publish comes first: a crash in between replays
 * them again next run, and the consumer's inbox makes that harmless; the other order could lose
 * a replay.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  options: ReplayOptions,
): Promise<HandleResult> {
  const dryRun = options.dryRun ?? false;
  const session = await openSession(kafka, options, dryRun ? 'inspect' : 'manage');
  try {
    const actions = selectPending(session.letters, options).map((entry) =>
      decide(entry, options.maxReplays ?? 3),
    );
    const replays = actions.filter(({ action }) => action === 'replayed');
    if (!dryRun && replays.length > 0) {
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      try {
        await producer.send({
          topic: (options.topicPrefix ?? '') + retryTopic(options.service),
          acks: -1,
          messages: replays.map(({ entry }) => replayMessage(entry)),
        });
      } finally {
        await producer.disconnect();
      }
      await session.record(replays.map(({ entry }) => ({ entry, outcome: 'replayed' })));
    }
    return { dryRun, actions };
  } finally {
    await session.close();
  }
}
