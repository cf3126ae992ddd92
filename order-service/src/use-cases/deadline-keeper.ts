import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceContext, Worker } from '@saga/shared/service';
import { moveOrder } from '../db/orders.js';
import { lockOverdueSagas } from '../db/saga.js';
import type { OrderRow } from '../db/schema.js';
import type { OrderStatus } from '../domain/order-status.js';
import { orderEnded, orderEnding } from '../events/outgoing.js';

export interface DeadlineKeeperOptions {
  /** How often overdue sagas are looked for, ms. */
  intervalMs: number;
  /** Sagas canceled per transaction. */
  batchSize: number;
  /** After the commit, for each order canceled, with the status it was canceled from. */
  canceled(order: OrderRow, from: OrderStatus): void;
}

const TIMED_OUT = { status: 'CANCELED', failureReason: 'TIMED_OUT' } as const;

/**
 * Cancels the orders whose saga deadline passed before they ended, with reason TIMED_OUT, and
 * emits their `order.canceled`: order-service keeps the deadline because it keeps the saga
 * record; the services that hold something for the order (a charge, a reservation, a delivery)
 * give it back when they see that event. Events of the order that arrive later change nothing
 * here (the order is terminal): the service that receives one compensates it.
 */
export function deadlineKeeper(context: ServiceContext, options: DeadlineKeeperOptions): Worker {
  const logger = context.logger.child({ component: 'deadline-keeper' });

  /** One batch in one transaction; the number of sagas it found overdue. */
  async function cancelOverdue(): Promise<number> {
    const canceled: { order: OrderRow; from: OrderStatus }[] = [];
    const found = await context.transact(async ({ tx, emit }) => {
      const sagas = await lockOverdueSagas(tx, options.batchSize);
      for (const saga of sagas) {
        const ending = orderEnding(saga.orderId, 'CANCELED');
        const order = await moveOrder(tx, saga.orderId, TIMED_OUT, ending);
        // The saga row is locked, so its order is still where the saga says: it moves.
        if (!order) continue;
        await emit([orderEnded(order, null, ending)]);
        canceled.push({ order, from: saga.status });
      }
      return sagas.length;
    });
    for (const { order, from } of canceled) {
      logger.info({ orderId: order.id, from }, 'saga deadline passed: order canceled');
      options.canceled(order, from);
    }
    return found;
  }

  return async (signal) => {
    while (!signal.aborted) {
      try {
        // A full batch means more may be overdue: go on without waiting.
        while ((await cancelOverdue()) === options.batchSize && !signal.aborted);
      } catch (error) {
        logger.error({ err: error }, 'looking for overdue sagas failed; trying again');
      }
      await sleep(options.intervalMs, undefined, { signal }).catch(() => undefined);
    }
  };
}
