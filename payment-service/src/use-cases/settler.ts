import type { Worker } from '@saga/shared/service';
import { withSpanFromHeaders } from '@saga/shared/telemetry';
import { createWakeableSleep } from '@saga/shared/timing';
import { claimDuePayments } from '../db/payments.js';
import type { PaymentRow } from '../db/schema.js';
import type { SettleDeps } from './deps.js';
import { settleChargeRow } from './settle-charge.js';
import { settleRefundRow } from './settle-refund.js';

export interface SettlerConfig {
  /** Payments settled concurrently. */
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
  /**
   * Settles a payment this instance recorded already claimed (see recordCharge), once committed:
   * at once if a slot is free, else when one frees. One whose lease runs low meanwhile is left to
   * a claim when the lease ends.
   */
  settleClaimed(payment: PaymentRow): void;
}

/**
 * The recovery loop: every pending payment is settled here, the first attempt as well as the
 * ones an outage, a lost answer or a crashed instance left behind. Gateway calls happen outside
 * any transaction; a short claim keeps two instances off the same payment.
 */
export function createSettler(deps: SettleDeps, config: SettlerConfig): Settler {
  const logger = deps.context.logger.child({ component: 'settler' });
  const idle = createWakeableSleep();

  function settleOne(payment: PaymentRow): Promise<void> {
    const settle = payment.kind === 'CHARGE' ? settleChargeRow : settleRefundRow;
    // Continues the trace of the event that asked for the payment, into the event it emits.
    const attributes = { 'saga.order_id': payment.orderId, 'saga.payment_kind': payment.kind };
    return withSpanFromHeaders(
      `settle ${payment.kind.toLowerCase()}`,
      payment.traceContext,
      attributes,
      (trace) => settle(deps, payment, trace.headers),
    ).catch((error: unknown) =>
      // The claim's lease brings the payment back if this failed (e.g. the database is away).
      logger.error({ err: error, orderId: payment.orderId }, 'settling failed; retried later'),
    );
  }

  /** Settlements under way: one slow gateway answer must not hold up the others. */
  const inFlight = new Set<Promise<void>>();
  /** The last round filled every free slot: more payments may be due, waiting for a slot. */
  let full = false;
  /** Payments recorded claimed by this instance, waiting for a slot. */
  const claimedHere: PaymentRow[] = [];
  let stopped = false;

  function start(payment: PaymentRow) {
    const settling = settleOne(payment).finally(() => {
      inFlight.delete(settling);
      if (!stopped && startClaimedHere()) return;
      if (full) idle.wake(); // a slot is free for a payment that may be waiting
    });
    inFlight.add(settling);
  }

  /** Starts the next payment claimed here that still holds most of its lease; whether it did. */
  function startClaimedHere(): boolean {
    for (let payment = claimedHere.shift(); payment; payment = claimedHere.shift()) {
      if (payment.nextAttemptAt.getTime() - Date.now() > config.leaseMs / 2) {
        start(payment);
        return true;
      }
    }
    return false;
  }

  /** Claims as many due payments as there are free slots and starts settling them. */
  async function round(): Promise<number> {
    const free = config.batchSize - inFlight.size;
    if (free <= 0) return 0;
    const claimed = await claimDuePayments(deps.context.database.db, free, config.leaseMs);
    for (const payment of claimed) start(payment);
    full = claimed.length === free;
    return claimed.length;
  }

  return {
    wake: idle.wake,
    settleClaimed(payment) {
      if (stopped) return; // its lease ends, and a settler claims it then
      if (inFlight.size < config.batchSize) start(payment);
      else claimedHere.push(payment);
    },
    async run(signal) {
      signal.addEventListener('abort', () => {
        stopped = true;
      });
      while (!signal.aborted) {
        idle.clear();
        try {
          await round();
        } catch (error) {
          logger.error({ err: error }, 'settler round failed; trying again');
        }
        // A round claims every due payment it has slots for: the next one waits for new work (a
        // wake-up, also during the round), a free slot when this one was full, or the poll.
        await idle.sleep(config.pollIntervalMs, signal);
      }
      await Promise.all(inFlight);
    },
  };
}
