import type { Worker } from '@saga/shared/service';
import { claimDuePayments } from '../db/payments.js';
import type { PaymentRow } from '../db/schema.js';
import type { SettleDeps } from './deps.js';
import { settleChargeRow } from './settle-charge.js';
import { settleRefundRow } from './settle-refund.js';

export interface SettlerConfig {
  /** Payments claimed and settled concurrently per round. */
  batchSize: number;
  /** Fallback poll when no wake-up arrives, ms. */
  pollIntervalMs: number;
  /** How long a claimed payment is hidden from other settlers, ms. */
  leaseMs: number;
}

export interface Settler {
  /** Settles due payments until the signal aborts; survives database and gateway trouble. */
  run: Worker;
  /** Call after committing a new pending payment: the next round starts at once. */
  wake(): void;
}

/**
 * The recovery loop: every pending payment is settled here, the first attempt as well as the
 * ones an outage, a lost answer or a crashed instance left behind. Gateway calls happen outside
 * any transaction; a short claim keeps two instances off the same payment.
 */
export function createSettler(deps: SettleDeps, config: SettlerConfig): Settler {
  const logger = deps.context.logger.child({ component: 'settler' });
  let woken = false;
  let wakeUp: (() => void) | undefined;

  function settleOne(payment: PaymentRow): Promise<void> {
    const settle = payment.kind === 'CHARGE' ? settleChargeRow : settleRefundRow;
    // The claim's lease brings the payment back if this fails (e.g. the database is away).
    return settle(deps, payment).catch((error: unknown) =>
      logger.error({ err: error, orderId: payment.orderId }, 'settling failed; retried later'),
    );
  }

  async function round(): Promise<number> {
    const claimed = await claimDuePayments(
      deps.context.database.db,
      config.batchSize,
      config.leaseMs,
    );
    await Promise.all(claimed.map(settleOne));
    return claimed.length;
  }

  function nap(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, config.pollIntervalMs);
      signal.addEventListener('abort', done, { once: true });
      wakeUp = done;
    });
  }

  return {
    wake() {
      woken = true;
      wakeUp?.();
    },
    async run(signal) {
      while (!signal.aborted) {
        woken = false;
        let claimed = 0;
        try {
          claimed = await round();
        } catch (error) {
          logger.error({ err: error }, 'settler round failed; trying again');
        }
        // A full batch means more may be due; a wake-up during the round means new work.
        if (claimed < config.batchSize && !woken) await nap(signal);
      }
    },
  };
}
