import type { Transaction } from '../db/index.js';
import type { Topic, TopicEvents } from '../events/index.js';
import type { Logger } from '../logger/index.js';
import type { Emit } from '../outbox/index.js';
import type { TraceHeaders } from '../telemetry/index.js';

export interface HandlerContext {
  /** The transaction that also records the event as processed. */
  tx: Transaction;
  topic: Topic;
  eventId: string;
  /** Carries service, orderId, eventId and traceId. */
  logger: Logger;
  /**
   * Appends the events this one causes to the outbox, in the same transaction; they continue
   * this event's trace.
   */
  emit: Emit;
  /** The context of this event's span, for work that continues its trace later. */
  trace: TraceHeaders;
  /**
   * Runs `callback` once the transaction has committed (never if it rolls back), e.g. to wake a
   * worker that acts on the rows this handler wrote.
   */
  onCommitted(callback: () => void): void;
}

export type EventHandler<T extends Topic> = (
  event: TopicEvents[T],
  context: HandlerContext,
) => Promise<void>;

/** One handler per consumed topic. */
export type Handlers = { [T in Topic]?: EventHandler<T> };
