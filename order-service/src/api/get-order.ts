import { parseInput, principalOf, type ServiceContext } from '@saga/shared/service';
import type { RequestHandler } from 'express';
import { type OrderView, orderViews } from '../db/orders.js';
import { isTerminal } from '../domain/order-status.js';
import { canRead } from './access.js';
import { orderSummaryJson, timelineJson } from './order-json.js';
import type { OrderWaiter, OrderWatch } from './order-watch.js';
import { preferredWait } from './prefer-wait.js';
import { orderNotFound } from './problems.js';
import { orderIdSchema } from './schemas.js';

export interface OrderWaitOptions {
  /** Woken by this instance's saga handlers once a move committed. */
  watch: OrderWatch;
  /** The longest wait honoured (ORDER_WAIT_MAX_SECONDS). */
  maxSeconds: number;
  /** How often a waiter re-reads without being woken (ORDER_WAIT_RECHECK_MS). */
  recheckMs: number;
}

/**
 * GET /orders/:id: the order, its lines and its saga timeline, read from one snapshot; the
 * caller's own order only, unless an operator asks.
 *
 * With `Prefer: wait=<seconds>` it first waits, up to `maxSeconds`, for the order to be
 * COMPLETED or CANCELED, and says `Preference-Applied: wait=<seconds applied>`. While waiting it
 * holds no connection; it reads the order when woken (the order ended) and every `recheckMs`.
 * When ORDER_WAIT_MAX_WAITERS requests already wait, it answers at once without
 * `Preference-Applied`.
 */
export function getOrder(context: ServiceContext, wait: OrderWaitOptions): RequestHandler {
  const readAnyOrder = orderViews(context.database.db);
  return async (request, response) => {
    const { id } = parseInput(orderIdSchema, request.params, 'params');
    const principal = principalOf(response);
    // Another customer's order is not found, and is not waited for.
    const readOrder = async (orderId: string) => {
      const view = await readAnyOrder(orderId);
      return view && canRead(principal, view.order.customerId) ? view : undefined;
    };
    const preferred = preferredWait(request.get('prefer'));
    const waiter = preferred === undefined ? undefined : wait.watch.register(id);
    let view: OrderView | undefined;
    if (preferred !== undefined && waiter) {
      const seconds = Math.min(preferred, wait.maxSeconds);
      let gone = false;
      // Before an answer, 'close' means the client left; after one, release() does nothing.
      response.once('close', () => {
        gone = true;
        waiter.release();
      });
      try {
        const deadline = Date.now() + seconds * 1000;
        view = await waitForEnd(readOrder, id, waiter, deadline, wait.recheckMs);
      } finally {
        waiter.release();
      }
      if (gone) return;
      if (!view) throw orderNotFound(id);
      response.set('Preference-Applied', `wait=${seconds}`);
    } else {
      view = await readOrder(id);
    }
    if (!view) throw orderNotFound(id);
    const { failureReason, createdAt, updatedAt, ...summary } = orderSummaryJson(view.order);
    response.json({
      ...summary,
      items: view.items,
      failureReason,
      createdAt,
      updatedAt,
      timeline: timelineJson(view.timeline),
    });
  };
}

/**
 * Reads the order until it is terminal, `deadline` passed, or the waiter was released (the client
 * left, the service is stopping), and returns the last read. The waiter was registered before
 * the first read, so an end committed after that read still wakes it.
 */
async function waitForEnd(
  readOrder: (id: string) => Promise<OrderView | undefined>,
  id: string,
  waiter: OrderWaiter,
  deadline: number,
  recheckMs: number,
): Promise<OrderView | undefined> {
  for (;;) {
    const view = await readOrder(id);
    const left = deadline - Date.now();
    if (!view || isTerminal(view.order.status) || left <= 0 || waiter.released) return view;
    await waiter.next(Math.min(recheckMs, left));
    if (waiter.released) return readOrder(id);
  }
}
