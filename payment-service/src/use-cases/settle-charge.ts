import type { Transaction } from '@saga/shared/db';
import type { TraceHeaders } from '@saga/shared/telemetry';
import { completePayment, failPayment, recordRefund, refundOf } from '../db/payments.js';
import type { PaymentRow } from '../db/schema.js';
import {
  answerFromLookup,
  type GatewayAnswer,
  shouldLookUpFirst,
} from '../domain/gateway-answer.js';
import { chargeIdempotencyKey } from '../domain/payment.js';
import { settleCanceledCharge, settleCharge } from '../domain/settlement.js';
import { paymentCompleted, paymentFailed } from '../events/outgoing.js';
import type { GatewayClient } from '../gateway/gateway-client.js';
import type { SettleDeps } from './deps.js';
import { ask, finish, retryLater } from './outcome.js';

/**
 * After an attempt whose answer was lost, the gateway is asked what happened before anything is
 * charged; the charge itself carries the idempotency key, so repeating it replays, never doubles.
 */
async function chargeOnce(gateway: GatewayClient, charge: PaymentRow): Promise<GatewayAnswer> {
  if (shouldLookUpFirst(charge.attempts)) {
    const earlier = await lookUp(gateway, charge);
    if (earlier) return earlier;
  }
  return gateway.charge(chargeIdempotencyKey(charge.orderId), {
    amountMinor: charge.amountMinor,
    currency: charge.currency,
    token: charge.paymentToken ?? '',
    reference: charge.orderId,
  });
}

/** What earlier attempts of the charge did at the gateway; undefined when it saw none. */
async function lookUp(gateway: GatewayClient, charge: PaymentRow) {
  return answerFromLookup(await gateway.chargesByReference(charge.orderId));
}

/**
 * Completes the charge. When its order was canceled while the charge was under way (its deadline
 * passed), the money goes back at once, in the same transaction: a refund, no `payment.completed`.
 */
async function complete(tx: Transaction, charge: PaymentRow, gatewayTransactionId: string) {
  const settled = await completePayment(tx, charge.id, gatewayTransactionId);
  if (settled?.orderCanceledAt) {
    const { causationId, traceContext } = settled;
    await recordRefund(tx, refundOf(settled, { reason: 'TIMED_OUT', causationId, traceContext }));
  }
  return settled;
}

export async function settleChargeRow(
  deps: SettleDeps,
  charge: PaymentRow,
  trace: TraceHeaders,
): Promise<void> {
  const settlement = charge.orderCanceledAt
    ? settleCanceledCharge(await ask(() => lookUp(deps.gateway, charge)))
    : settleCharge(await ask(() => chargeOnce(deps.gateway, charge)));
  switch (settlement.type) {
    case 'complete':
      await finish(
        deps,
        charge,
        trace,
        'completed',
        (tx) => complete(tx, charge, settlement.gatewayTransactionId),
        (settled) => (settled.orderCanceledAt ? undefined : paymentCompleted(settled)),
      );
      return;
    case 'fail':
      await finish(
        deps,
        charge,
        trace,
        'failed',
        (tx) => failPayment(tx, charge.id, settlement),
        paymentFailed,
      );
      return;
    case 'retry':
      await retryLater(deps, charge, settlement.error);
  }
}
