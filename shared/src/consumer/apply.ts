import type { Topic } from '../events/index.js';
import type { FaultHooks } from '../faults/index.js';
import type { Logger } from '../logger/index.js';
import { eventKey, type OpenUnitOfWork } from '../outbox/index.js';
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
 * its own span continuing the event's trace. Events of one key (one saga, one product) are
 * applied in their order, one after the other; events of different keys side by side, so that
 * their statements share writes and round trips (see PlatformClient) rather than queue behind
 * each other. Handlers of different keys may therefore interleave: each change must be one
 * statement that reads what it changes (`SET stock = stock - $1 WHERE stock >= $1`), never a
 * value read earlier by the handler, as concurrent transactions require anyway.
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
      async ({ tx, emit, writeAtCommit, onCommitted }, opened) => {
        const recorded = recordedNow(opened);
        const applyOne = async ({
          topic,
          headers,
          eventTopic,
          event,
          eventId,
          orderId,
        }: Decoded): Promise<Applied> => {
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
                writeAtCommit,
                onCommitted,
              };
              await handler(event, context);
              return 'ok' as const;
            },
          );
          return { outcome, seconds: (performance.now() - started) / 1000 };
        };
        const results: Applied[] = new Array(events.length);
        // After a failure the others stop at their next event, and the unit of work rolls back
        // only once none has a statement left in flight on its connection.
        let failure: { error: unknown } | undefined;
        await Promise.all(
          [...positionsByKey(events).values()].map(async (positions) => {
            for (const at of positions) {
              if (failure) return;
              try {
                results[at] = await applyOne(events[at]!);
              } catch (error) {
                failure ??= { error };
              }
            }
          }),
        );
        if (failure) throw failure.error;
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

/** The positions of the events of each key, in order. */
function positionsByKey(events: readonly Decoded[]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  events.forEach(({ event }, at) => {
    const key = eventKey(event);
    const positions = byKey.get(key);
    if (positions) positions.push(at);
    else byKey.set(key, [at]);
  });
  return byKey;
}
