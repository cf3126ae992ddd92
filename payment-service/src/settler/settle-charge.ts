import type { TraceHeaders } from '@saga/shared/telemetry';
import { completePayment, failPayment } from '../db/payments.js';
import type { PaymentRow } from '../db/schema.js';
import {
  answerFromLookup,
  type GatewayAnswer,
  shouldLookUpFirst,
} from '../domain/gateway-answer.js';
import { chargeIdempotencyKey } from '../domain/payment.js';
import { settleCharge } from '../domain/settlement.js';
import type { GatewayClient } from '../gateway/gateway-client.js';
import type { SettleDeps } from './deps.js';
import { ask, finish, retryLater } from './outcome.js';
import { paymentCompleted, paymentFailed } from './payment-events.js';

/**
 * After an attempt whose answer was lost, the gateway is asked what happened before anything is
 * charged; the charge itself carries the idempotency key, so repeating it replays, never doubles.
 */
async function chargeOnce(gateway: GatewayClient, charge: PaymentRow): Promise<GatewayAnswer> {
  if (shouldLookUpFirst(charge.attempts)) {
    const earlier = answerFromLookup(await gateway.chargesByReference(charge.orderId));
    if (earlier) return earlier;
  }
  return gateway.charge(chargeIdempotencyKey(charge.orderId), {
    amountMinor: charge.amountMinor,
    currency: charge.currency,
    token: charge.paymentToken ?? '',
    reference: charge.orderId,
  });
}

export async function settleChargeRow(
  deps: SettleDeps,
  charge: PaymentRow,
  trace: TraceHeaders,
): Promise<void> {
  const settlement = settleCharge(await ask(() => chargeOnce(deps.gateway, charge)));
  switch (settlement.type) {
    case 'complete':
      await finish(
        deps,
        charge,
        trace,
        'completed',
        (tx) => completePayment(tx, charge.id, settlement.gatewayTransactionId),
        paymentCompleted,
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
