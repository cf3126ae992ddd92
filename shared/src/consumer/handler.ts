import type { Topic, TopicEvents } from '../events/index.js';
import type { Logger } from '../logger/index.js';
import type { UnitOfWork } from '../outbox/index.js';
import type { TraceHeaders } from '../telemetry/index.js';

/**
 * The unit of work that also records the event as processed; the events it emits continue this
 * event's trace.
 */
export interface HandlerContext extends UnitOfWork {
  topic: Topic;
  eventId: string;
  /** Carries service, orderId, eventId and traceId. */
  logger: Logger;
  /** The context of this event's span, for work that continues its trace later. */
  trace: TraceHeaders;
}

export type EventHandler<T extends Topic> = (
  event: TopicEvents[T],
  context: HandlerContext,
) => Promise<void>;

/** One handler per consumed topic. */
export type Handlers = { [T in Topic]?: EventHandler<T> };
