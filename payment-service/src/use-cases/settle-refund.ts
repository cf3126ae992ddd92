import type { TraceHeaders } from '@saga/shared/telemetry';
import { completePayment, failPayment, findCharge } from '../db/payments.js';
import type { PaymentRow } from '../db/schema.js';
import { refundIdempotencyKey } from '../domain/payment.js';
import { type RefundSettlement, settleRefund } from '../domain/settlement.js';
import { paymentRefunded, paymentRefundFailed } from '../events/outgoing.js';
import type { SettleDeps } from './deps.js';
import { ask, finish, logOf, retryLater } from './outcome.js';

/** Refunds the whole charge of the refund's order. */
export async function settleRefundRow(
  deps: SettleDeps,
  refund: PaymentRow,
  trace: TraceHeaders,
): Promise<void> {
  // A refund is recorded only for a COMPLETED charge, so the charge and its gateway id exist.
  const charge = await findCharge(deps.context.database.db, refund.orderId);
  const chargeId = charge?.gatewayTransactionId;
  const settlement: RefundSettlement = chargeId
    ? settleRefund(
        await ask(() =>
          deps.gateway.refund(refundIdempotencyKey(refund.orderId), {
            chargeId,
            amountMinor: refund.amountMinor,
            reason: refund.reason!,
          }),
        ),
      )
    : { type: 'fail', details: 'the order has no completed charge to refund' };
  // The charge is what the events name; a refund without one fails, naming the refund instead.
  const paymentId = charge?.id ?? refund.id;
  const reason = refund.reason!;
  switch (settlement.type) {
    case 'complete': {
      const refunded = await finish(
        deps,
        refund,
        trace,
        'completed',
        (tx) => completePayment(tx, refund.id, settlement.gatewayTransactionId),
        (settled) => paymentRefunded(settled, paymentId),
      );
      if (refunded) deps.metrics.compensations.inc({ kind: 'refund', reason });
      return;
    }
    case 'fail': {
      // The saga shows the refusal as stuck until an operator retries the refund.
      const failed = await finish(
        deps,
        refund,
        trace,
        'failed',
        (tx) => failPayment(tx, refund.id, settlement),
        (settled) => paymentRefundFailed(settled, paymentId),
      );
      if (failed) {
        deps.metrics.refusedRefunds.inc({ reason });
        logOf(deps, refund).error({ details: settlement.details }, 'refund refused');
      }
      return;
    }
    case 'retry':
      await retryLater(deps, refund, settlement.error);
  }
}
