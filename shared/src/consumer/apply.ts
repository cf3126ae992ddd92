import type { Topic } from '../events/index.js';
import type { FaultHooks } from '../faults/index.js';
import type { Logger } from '../logger/index.js';
import type { OpenUnitOfWork } from '../outbox/index.js';
import { withSpanFromHeaders } from '../telemetry/index.js';
import type { Decoded } from './decode.js';
import type { EventHandler, HandlerContext, Handlers } from './handler.js';
import { recordedNow, recordProcessed } from './inbox.js';

/** Per event: applied or a duplicate, and the seconds spent on it inside the transaction. */
export interface Applied {
  outcome: 'ok' | 'duplicate';
  seconds: number;
}

export type Apply = (events: readonly Decoded[]) => Promise<Applied[]>;

export interface ApplyOptions {
  /** The inbox's consumer name. */
  consumer: string;
  handlers: Handlers;
  openUnitOfWork: OpenUnitOfWork;
  logger: Logger;
  faults: FaultHooks;
}

/**
 * Applies events in ONE unit of work: per event, inbox row + effects + emitted events, each in
 * its own span continuing the event's trace.
 */
export function createApply({
  consumer,
  handlers,
  openUnitOfWork,
  logger,
  faults,
}: ApplyOptions): Apply {
  return async (events) => {
    const applied = await openUnitOfWork(
      async ({ tx, emit, onCommitted }, opened) => {
        const recorded = recordedNow(opened);
        const results: Applied[] = [];
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
                  eventLogger ??= logger.child({
                    orderId,
                    eventId,
                    traceId: trace.traceId,
                    topic: eventTopic,
                  });
                  return eventLogger;
                },
                emit: (caused) => emit(caused, trace.headers),
                trace: trace.headers,
                onCommitted,
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
          consumer,
          events.map(({ eventId }) => eventId),
        ),
      },
    );
    faults.reach('consumer.after-commit');
    return applied;
  };
}
