import type { HandlerContext } from '@saga/shared/consumer';
import { ImpossibleEventError } from '@saga/shared/errors';
import type { TopicEvents } from '@saga/shared/events';
import { moveOrder } from '../db/orders.js';
import { recordSagaFact } from '../db/saga.js';
import type { OrderRow } from '../db/schema.js';
import { isTerminal } from '../domain/order-status.js';
import { deriveSagaState, producerOf, type SagaTopic } from '../domain/saga-state.js';
import { orderEnded, orderEnding } from '../events/outgoing.js';
import type { SagaOutcome } from '../metrics/saga-metrics.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Applies one saga event: records the fact and a timeline row, derives the state from every fact
 * seen, and moves the order there under the semantic lock. Entering COMPLETED or CANCELED emits
 * `order.completed`/`order.canceled`; only the update that returned the row does, so exactly once.
 */
export async function noteSagaEvent(
  topic: SagaTopic,
  event: TopicEvents[SagaTopic],
  context: HandlerContext,
): Promise<{ outcome: SagaOutcome; ended?: OrderRow }> {
  // `context.logger` is made on first use: only the lines that are written pay for it.
  const { tx, emit } = context;
  const { orderId, eventId } = event;
  const occurredAt = new Date(event.occurredAt);
  const entry = {
    orderId,
    eventId,
    type: topic,
    service: producerOf(topic),
    at: occurredAt,
    compensationFailure: topic === 'payment.refund-failed' ? refusal(event) : undefined,
  };
  const saga = UUID.test(orderId) ? await recordSagaFact(tx, topic, entry) : undefined;
  if (!saga) throw new ImpossibleEventError(`${topic} ${eventId} is for unknown order ${orderId}`);

  const next = deriveSagaState(saga.facts);
  if (next.status === saga.status) return { outcome: 'recorded' };
  const ending = isTerminal(next.status) ? orderEnding(orderId, next.status) : undefined;
  const order = await moveOrder(tx, orderId, next, ending);
  if (!order) {
    context.logger.info({ from: saga.status, to: next.status }, `stale ${topic}: order not moved`);
    return { outcome: 'stale' };
  }
  // Every move is in the saga's timeline already: one line per saga at info, when it ends.
  if (!ending) return { outcome: 'moved' };
  context.logger.info({ from: saga.status, to: order.status }, 'order ended');
  await emit([orderEnded(order, eventId, ending)]);
  return { outcome: 'moved', ended: order };
}

/** Why payment could not refund, as the saga record keeps it for operators. */
const refusal = (event: TopicEvents[SagaTopic]) =>
  (event as TopicEvents['payment.refund-failed']).details;
