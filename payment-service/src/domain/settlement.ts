import type { GatewayAnswer } from './gateway-answer.js';

/** The reason `payment.failed` carries when the card was declined. */
export const PAYMENT_DECLINED = 'PAYMENT_DECLINED';
/** The reason `payment.failed` carries when the gateway refused the charge request itself. */
export const PAYMENT_REJECTED = 'PAYMENT_REJECTED';
/** The reason a charge fails when its order was canceled at its deadline before money moved. */
export const ORDER_TIMED_OUT = 'TIMED_OUT';

type Complete = { type: 'complete'; gatewayTransactionId: string };
type Retry = { type: 'retry'; error: string };

/** What to do with a pending charge after a gateway answer. */
export type ChargeSettlement = Complete | { type: 'fail'; reason: string; details: string } | Retry;

/** What to do with a pending refund after a gateway answer. */
export type RefundSettlement = Complete | { type: 'fail'; details: string } | Retry;

export function settleCharge(answer: GatewayAnswer): ChargeSettlement {
  switch (answer.type) {
    case 'approved':
      return { type: 'complete', gatewayTransactionId: answer.transactionId };
    case 'declined':
      return { type: 'fail', reason: PAYMENT_DECLINED, details: answer.declineCode };
    case 'rejected':
      return { type: 'fail', reason: PAYMENT_REJECTED, details: rejection(answer) };
    case 'unavailable':
      return { type: 'retry', error: answer.error };
  }
}

/**
 * A pending charge whose order was canceled meanwhile is never attempted again, only looked up:
 * what an earlier attempt charged is completed (and refunded with it), and when the gateway saw
 * no charge, nothing will be.
 */
export function settleCanceledCharge(found: GatewayAnswer | undefined): ChargeSettlement {
  if (found) return settleCharge(found);
  return {
    type: 'fail',
    reason: ORDER_TIMED_OUT,
    details: 'the order was canceled before the gateway charged it',
  };
}

/**
 * A refused refund (unknown charge, nothing left to refund) will not succeed by retrying: it fails
 * and is left to an operator, with the gateway's words kept on the row.
 */
export function settleRefund(answer: GatewayAnswer): RefundSettlement {
  switch (answer.type) {
    case 'approved':
      return { type: 'complete', gatewayTransactionId: answer.transactionId };
    case 'declined':
      return { type: 'fail', details: answer.declineCode };
    case 'rejected':
      return { type: 'fail', details: rejection(answer) };
    case 'unavailable':
      return { type: 'retry', error: answer.error };
  }
}

function rejection(answer: { status: number; detail: string }): string {
  return `${answer.status}: ${answer.detail}`;
}
