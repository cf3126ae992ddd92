import type { OutboxEvent } from '@saga/shared/outbox';
import { newEventId } from '@saga/shared/outbox';
import type { PaymentRow } from '../db/schema.js';
import type { RefundReason } from '../domain/payment.js';

/** The fields every event about a payment row starts with. */
function header(row: PaymentRow) {
  return {
    eventId: newEventId(),
    orderId: row.orderId,
    occurredAt: Date.now(),
    causationId: row.causationId,
    customerId: row.customerId,
    amountMinor: row.amountMinor,
    currency: row.currency,
  };
}

export function paymentCompleted(charge: PaymentRow): OutboxEvent {
  return {
    topic: 'payment.completed',
    value: {
      ...header(charge),
      paymentId: charge.id,
      gatewayTransactionId: charge.gatewayTransactionId!,
      items: charge.items!,
      shippingAddress: charge.shippingAddress!,
    },
  };
}

export function paymentFailed(charge: PaymentRow): OutboxEvent {
  return {
    topic: 'payment.failed',
    value: { ...header(charge), reason: charge.reason!, details: charge.details },
  };
}

/** A refund the gateway refused for good: the customer is still owed `amountMinor`. */
export function paymentRefundFailed(refund: PaymentRow, chargeId: string): OutboxEvent {
  return {
    topic: 'payment.refund-failed',
    value: {
      ...header(refund),
      paymentId: chargeId,
      reason: refund.reason as RefundReason,
      details: refund.details ?? 'refused',
    },
  };
}

export function paymentRefunded(refund: PaymentRow, chargeId: string): OutboxEvent {
  return {
    topic: 'payment.refunded',
    value: {
      ...header(refund),
      paymentId: chargeId,
      refundId: refund.gatewayTransactionId!,
      reason: refund.reason as RefundReason,
    },
  };
}
