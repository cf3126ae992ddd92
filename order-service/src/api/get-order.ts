import type { Database } from '@saga/shared/db';
import { parseInput, type ServiceContext } from '@saga/shared/service';
import type { RequestHandler } from 'express';
import { findOrder, findOrderItems, findOrderStatus } from '../db/orders.js';
import { findTimeline } from '../db/saga.js';
import { isTerminal } from '../domain/order-status.js';
import type { OrderWaiter, OrderWatch } from '../orders/order-watch.js';
import { orderSummaryJson } from './order-json.js';
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
 * GET /orders/:id: the order, its lines and its saga timeline, read from one snapshot.
 *
 * With `Prefer: wait=<seconds>` it first waits, up to `maxSeconds`, for the order to be
 * COMPLETED or CANCELED, and says `Preference-Applied: wait=<seconds applied>`. While waiting it
 * holds no connection and reads only the status, when woken and every `recheckMs`. When
 * ORDER_WAIT_MAX_WAITERS requests already wait, it answers at once without `Preference-Applied`.
 */
export function getOrder(context: ServiceContext, wait: OrderWaitOptions): RequestHandler {
  const { db } = context.database;
  return async (request, response) => {
    const { id } = parseInput(orderIdSchema, request.params, 'params');
    const preferred = preferredWait(request.get('prefer'));
    const waiter = preferred === undefined ? undefined : wait.watch.register(id);
    if (preferred !== undefined && waiter) {
      const seconds = Math.min(preferred, wait.maxSeconds);
      let gone = false;
      // Before an answer, 'close' means the client left; after one, release() does nothing.
      response.once('close', () => {
        gone = true;
        waiter.release();
      });
      try {
        await waitForEnd(db, id, waiter, Date.now() + seconds * 1000, wait.recheckMs);
      } finally {
        waiter.release();
      }
      if (gone) return;
      response.set('Preference-Applied', `wait=${seconds}`);
    }

    const view = await readOrder(db, id);
    if (!view) throw orderNotFound(id);
    const { failureReason, createdAt, updatedAt, ...summary } = orderSummaryJson(view.order);
    response.json({
      ...summary,
      items: view.items,
      failureReason,
      createdAt,
      updatedAt,
      timeline: view.timeline.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
    });
  };
}

/**
 * Returns once the order is terminal, `deadline` passed, or the waiter was released (the client
 * left, the service is stopping). The waiter was registered before the first read, so a move
 * committed after that read still wakes it.
 */
async function waitForEnd(
  db: Database,
  id: string,
  waiter: OrderWaiter,
  deadline: number,
  recheckMs: number,
): Promise<void> {
  for (;;) {
    const status = await findOrderStatus(db, id);
    if (status === undefined) throw orderNotFound(id);
    const left = deadline - Date.now();
    if (isTerminal(status) || left <= 0 || waiter.released) return;
    await waiter.next(Math.min(recheckMs, left));
    if (waiter.released) return;
  }
}

/** The order, its lines and its timeline from one snapshot. */
function readOrder(db: Database, id: string) {
  return db.transaction(
    async (tx) => {
      const order = await findOrder(tx, id);
      if (!order) return undefined;
      return { order, items: await findOrderItems(tx, id), timeline: await findTimeline(tx, id) };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
