import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceContext, Worker } from '@saga/shared/service';
import { findEndings } from '../db/hot-deal-stock.js';
import type { HotDealGate } from './gate.js';
import { restoresUnits } from './hold-ending.js';

export interface HoldExpiryOptions {
  /** How often expired holds are looked for, ms. */
  intervalMs: number;
  /** Holds ended per round. */
  batchSize: number;
}

/**
 * Ends the holds whose saga did not end them in time: an order that never got placed (the
 * instance died between hold and insert), or an end the gate could not record (Redis was down,
 * or the instance died after the commit). Each is decided by its order as PostgreSQL has it, as
 * its end would have. Every instance runs one; ending a hold twice ends it once.
 */
export function holdExpiryWorker(
  context: ServiceContext,
  gate: HotDealGate,
  options: HoldExpiryOptions,
): Worker {
  const logger = context.logger.child({ component: 'hot-deal-expiry' });

  /** One round; the number of expired holds it found. */
  async function expireDue(): Promise<number> {
    const due = await gate.due(options.batchSize);
    if (due.length === 0) return 0;
    const endings = await findEndings(context.database.db, due);
    for (const orderId of due) {
      if (await gate.expire(orderId, restoresUnits(endings.get(orderId)))) {
        logger.info({ orderId, ending: endings.get(orderId) ?? null }, 'hot-deal hold expired');
      }
    }
    return due.length;
  }

  return async (signal) => {
    // Waits first: Redis is still connecting as the service starts, and a due hold can wait.
    while (!(await sleep(options.intervalMs, false, { signal }).catch(() => true))) {
      try {
        // A full batch means more may be due: go on without waiting.
        while ((await expireDue()) === options.batchSize && !signal.aborted);
      } catch (error) {
        logger.warn({ err: error }, 'expiring hot-deal holds failed; trying again');
      }
    }
  };
}
