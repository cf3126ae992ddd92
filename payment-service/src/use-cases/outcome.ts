import type { Transaction } from '@saga/shared/db';
import type { OutboxEvent } from '@saga/shared/outbox';
import type { TraceHeaders } from '@saga/shared/telemetry';
import { retryDelayMs } from '@saga/shared/timing';
import { postponePayment } from '../db/payments.js';
import type { PaymentRow } from '../db/schema.js';
import type { GatewayAnswer } from '../domain/gateway-answer.js';
import { GatewayUnavailableError } from '../gateway/errors.js';
import type { SettleDeps } from './deps.js';

type Unavailable = Extract<GatewayAnswer, { type: 'unavailable' }>;

/** A gateway call as an answer: "no answer" is an answer too, one that says "later". */
export async function ask<T>(call: () => Promise<T>): Promise<T | Unavailable> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GatewayUnavailableError) {
      return { type: 'unavailable', error: error.message };
    }
    throw error;
  }
}

/**
 * Settles a claimed payment and emits what it causes in one transaction. The change is the
 * semantic lock: when it finds the payment no longer pending (another settler got there first),
 * nothing is emitted.
 */
export async function finish(
  deps: SettleDeps,
  row: PaymentRow,
  trace: TraceHeaders,
  outcome: 'completed' | 'failed',
  change: (tx: Transaction) => Promise<PaymentRow | undefined>,
  eventOf: (settled: PaymentRow) => OutboxEvent | undefined,
): Promise<PaymentRow | undefined> {
  const settled = await deps.context.transact(
    async ({ tx, emit }) => {
      const settled = await change(tx);
      const event = settled && eventOf(settled);
      if (event) await emit([event]);
      return settled;
    },
    { trace },
  );
  const labels = { kind: row.kind, outcome: settled ? outcome : 'stale' };
  deps.metrics.settlements.inc(labels);
  logOf(deps, row).info(
    { status: settled?.status, gatewayTransactionId: settled?.gatewayTransactionId },
    settled ? `${row.kind.toLowerCase()} ${outcome}` : 'already settled elsewhere; nothing to do',
  );
  return settled;
}

/** Leaves the payment pending with a backoff that grows with its attempts. */
export async function retryLater(deps: SettleDeps, row: PaymentRow, error: string): Promise<void> {
  const delayMs = retryDelayMs(row.attempts, deps.backoff);
  const postponed = await postponePayment(
    deps.context.database.db,
    { id: row.id, attempt: row.attempts },
    delayMs,
    error,
  );
  deps.metrics.settlements.inc({ kind: row.kind, outcome: postponed ? 'retried' : 'stale' });
  logOf(deps, row).warn(
    { attempt: row.attempts, retryInMs: delayMs, error, stale: !postponed },
    'gateway gave no answer; payment stays pending',
  );
}

export function logOf(deps: SettleDeps, row: PaymentRow) {
  return deps.context.logger.child({
    component: 'settler',
    orderId: row.orderId,
    paymentId: row.id,
    kind: row.kind,
  });
}
