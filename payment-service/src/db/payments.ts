import { type Database, rowOf, statement, type Transaction } from '@saga/shared/db';
import type { TraceHeaders } from '@saga/shared/telemetry';
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { PaymentKind, PaymentStatus, RefundReason } from '../domain/payment.js';
import { type PaymentRow, payments } from './schema.js';

type Executor = Database | Transaction;

export interface NewCharge {
  orderId: string;
  amountMinor: number;
  currency: string;
  customerId: string;
  causationId: string;
  items: NonNullable<PaymentRow['items']>;
  shippingAddress: NonNullable<PaymentRow['shippingAddress']>;
  paymentToken: string;
  /** The trace of the event that asked for the charge: settling it continues that trace. */
  traceContext: TraceHeaders;
}

export interface NewRefund {
  orderId: string;
  amountMinor: number;
  currency: string;
  customerId: string;
  causationId: string;
  reason: RefundReason;
  /** The trace of the event that asked for the refund: settling it continues that trace. */
  traceContext: TraceHeaders;
}

/** The refund of the whole of `charge`, as compensation for `cause`. */
export function refundOf(
  charge: PaymentRow,
  cause: Pick<NewRefund, 'reason' | 'causationId' | 'traceContext'>,
): NewRefund {
  const { orderId, amountMinor, currency, customerId } = charge;
  return { orderId, amountMinor, currency, customerId, ...cause };
}

const paymentOf = rowOf(payments);
const value = sql.placeholder;

/**
 * Records a payment to make; no row back when the order already has one of that kind. A payment
 * recorded claimed (`claimMs` > 0) is its first attempt, leased to the recording instance like
 * one from `claimDuePayments`; otherwise it is due at once.
 */
const insertPayment = statement<{
  orderId: string;
  kind: PaymentKind;
  amountMinor: number;
  currency: string;
  customerId: string;
  causationId: string;
  reason: string | null;
  items: string | null;
  shippingAddress: string | null;
  paymentToken: string | null;
  traceContext: string;
  claimMs: number;
}>(sql`
  INSERT INTO ${payments} (order_id, kind, amount_minor, currency, customer_id, causation_id,
    reason, items, shipping_address, payment_token, trace_context, attempts, next_attempt_at)
  VALUES (${value('orderId')}, ${value('kind')}, ${value('amountMinor')}, ${value('currency')},
    ${value('customerId')}, ${value('causationId')}, ${value('reason')}, ${value('items')}::jsonb,
    ${value('shippingAddress')}::jsonb, ${value('paymentToken')}, ${value('traceContext')}::jsonb,
    CASE WHEN ${value('claimMs')}::integer > 0 THEN 1 ELSE 0 END,
    now() + make_interval(secs => ${value('claimMs')}::integer / 1000.0))
  ON CONFLICT (order_id, kind) DO NOTHING
  RETURNING *`);

/**
 * Records the intent to charge; undefined when the order already has a charge. With `claimMs`,
 * the charge is recorded claimed for that long, for this instance's settler to take at once
 * (see Settler.settleClaimed) without a claim of its own.
 */
export async function recordCharge(
  tx: Transaction,
  charge: NewCharge,
  claimMs = 0,
): Promise<PaymentRow | undefined> {
  const [inserted] = await insertPayment(tx, {
    ...charge,
    kind: 'CHARGE',
    reason: null,
    items: JSON.stringify(charge.items),
    shippingAddress: JSON.stringify(charge.shippingAddress),
    traceContext: JSON.stringify(charge.traceContext),
    claimMs,
  });
  return inserted && paymentOf(inserted);
}

/** Records the intent to refund; false when the order already has a refund. */
export async function recordRefund(tx: Transaction, refund: NewRefund): Promise<boolean> {
  const inserted = await insertPayment(tx, {
    ...refund,
    kind: 'REFUND',
    items: null,
    shippingAddress: null,
    paymentToken: null,
    traceContext: JSON.stringify(refund.traceContext),
    claimMs: 0,
  });
  return inserted.length > 0;
}

/** The order's charge; `forUpdate` holds it until the transaction ends. */
export async function findCharge(
  executor: Executor,
  orderId: string,
  options: { forUpdate?: boolean } = {},
): Promise<PaymentRow | undefined> {
  const query = executor
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), eq(payments.kind, 'CHARGE')));
  const [row] = await (options.forUpdate ? query.for('update') : query);
  return row;
}

/**
 * Claims up to `limit` due pending payments in one short statement: each gets one more attempt and
 * is hidden from other settlers for `leaseMs` (SKIP LOCKED: concurrent claimers take other rows).
 */
export async function claimDuePayments(
  db: Database,
  limit: number,
  leaseMs: number,
): Promise<PaymentRow[]> {
  const due = db
    .select({ id: payments.id })
    .from(payments)
    // The status is written out, not a parameter: a prepared statement's generic plan can use
    // the partial index payments_due_idx only when its predicate appears literally.
    .where(and(sql`${payments.status} = 'PENDING'`, lte(payments.nextAttemptAt, sql`now()`)))
    .orderBy(asc(payments.nextAttemptAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(payments)
    .set({
      attempts: sql`${payments.attempts} + 1`,
      nextAttemptAt: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
    })
    .where(inArray(payments.id, due))
    .returning();
}

/** Settles a pending payment; the token is needed only to charge, so it is not kept past that. */
const settlePending = statement<{
  id: string;
  status: Exclude<PaymentStatus, 'PENDING'>;
  gatewayTransactionId: string | null;
  reason: string | null;
  details: string | null;
}>(sql`
  UPDATE ${payments}
  SET status = ${value('status')},
    gateway_transaction_id = coalesce(${value('gatewayTransactionId')}, gateway_transaction_id),
    reason = coalesce(${value('reason')}, reason),
    details = coalesce(${value('details')}, details),
    payment_token = NULL, version = version + 1, updated_at = now()
  WHERE id = ${value('id')} AND status = 'PENDING'
  RETURNING *`);

/** The semantic lock: moves a pending payment to `status`; undefined when it is no longer pending. */
async function settle(
  tx: Transaction,
  id: string,
  status: Exclude<PaymentStatus, 'PENDING'>,
  changes: Partial<Pick<PaymentRow, 'gatewayTransactionId' | 'reason' | 'details'>>,
): Promise<PaymentRow | undefined> {
  const [row] = await settlePending(tx, {
    id,
    status,
    gatewayTransactionId: changes.gatewayTransactionId ?? null,
    reason: changes.reason ?? null,
    details: changes.details ?? null,
  });
  return row && paymentOf(row);
}

export const completePayment = (tx: Transaction, id: string, gatewayTransactionId: string) =>
  settle(tx, id, 'COMPLETED', { gatewayTransactionId });

export const failPayment = (
  tx: Transaction,
  id: string,
  failure: { reason?: string; details: string },
) => settle(tx, id, 'FAILED', failure);

/**
 * Leaves a payment pending until `delayMs` from now, with the error that kept it so. Only the
 * settler holding the claim of `attempt` may: a stale settler must not shorten a newer lease.
 */
export async function postponePayment(
  db: Database,
  claim: { id: string; attempt: number },
  delayMs: number,
  error: string,
): Promise<boolean> {
  const updated = await db
    .update(payments)
    .set({
      nextAttemptAt: sql`now() + make_interval(secs => ${delayMs / 1000})`,
      lastError: error,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(payments.id, claim.id),
        eq(payments.status, 'PENDING'),
        eq(payments.attempts, claim.attempt),
      ),
    )
    .returning({ id: payments.id });
  return updated.length > 0;
}

/**
 * Notes on a pending charge that its order was canceled: the settler stops attempting it and only
 * looks it up. Its lease is left alone, so an attempt under way finishes first (and is refunded).
 */
export async function markOrderCanceled(tx: Transaction, id: string): Promise<boolean> {
  const marked = await tx
    .update(payments)
    .set({
      orderCanceledAt: sql`coalesce(${payments.orderCanceledAt}, now())`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(payments.id, id), eq(payments.status, 'PENDING')))
    .returning({ id: payments.id });
  return marked.length > 0;
}

/**
 * Records that the order was canceled before any charge was asked for, as a charge that failed
 * (no amount, currency XXX: "no currency"): a later `order.created` of it then finds a charge and
 * charges nothing. False when the order has a charge after all (a concurrent insert won).
 */
export async function recordChargeNeverMade(
  tx: Transaction,
  order: { orderId: string; customerId: string; causationId: string },
): Promise<boolean> {
  const inserted = await tx
    .insert(payments)
    .values({
      ...order,
      kind: 'CHARGE',
      status: 'FAILED',
      amountMinor: 0,
      currency: 'XXX',
      reason: 'TIMED_OUT',
      details: 'the order was canceled before its charge was asked for',
      orderCanceledAt: sql`now()`,
    })
    .onConflictDoNothing()
    .returning({ id: payments.id });
  return inserted.length > 0;
}

/** The order's refund, if one was ever recorded. */
export async function findRefund(db: Database, orderId: string): Promise<PaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), eq(payments.kind, 'REFUND')));
  return row;
}

/**
 * Puts a refund the gateway refused back in the settler's hands, as if new: pending, due now,
 * attempts from zero. Its refusal is cleared; the gateway's next answer decides again. Undefined
 * when the order has no failed refund (the status guard is the semantic lock: two operators
 * retrying at once re-arm it once).
 */
export async function rearmFailedRefund(
  db: Database,
  orderId: string,
): Promise<PaymentRow | undefined> {
  const [row] = await db
    .update(payments)
    .set({
      status: 'PENDING',
      attempts: 0,
      nextAttemptAt: sql`now()`,
      details: null,
      lastError: null,
      version: sql`${payments.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(payments.orderId, orderId),
        eq(payments.kind, 'REFUND'),
        eq(payments.status, 'FAILED'),
      ),
    )
    .returning();
  return row;
}
