export type PaymentKind = 'CHARGE' | 'REFUND';
export type PaymentStatus = 'PENDING' | 'COMPLETED' | 'FAILED';
export type RefundReason = 'OUT_OF_STOCK' | 'DELIVERY_FAILED' | 'TIMED_OUT';

/**
 * Idempotency keys sent to the gateway. They must never change: a payment retried after a deploy
 * has to replay the answer of its first attempt, not create a second charge or refund.
 */
export const chargeIdempotencyKey = (orderId: string) => `charge-${orderId}`;
export const refundIdempotencyKey = (orderId: string) => `refund-${orderId}`;

export type RefundDecision = 'record-refund' | 'nothing-to-refund' | 'impossible';

/**
 * What a failed later step means for the money, given the order's charge (if any). A refund
 * trigger follows `payment.completed`, which commits with the COMPLETED charge, so a missing or
 * still pending charge means the event cannot belong to this service's history.
 */
export function decideRefund(chargeStatus: PaymentStatus | undefined): RefundDecision {
  switch (chargeStatus) {
    case 'COMPLETED':
      return 'record-refund';
    case 'FAILED':
      return 'nothing-to-refund';
    default:
      return 'impossible';
  }
}
