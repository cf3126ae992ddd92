/** What the gateway said to a charge or a refund, stripped of HTTP. */
export type GatewayAnswer =
  /** The charge or refund went through; `transactionId` is the gateway's charge or refund id. */
  | { type: 'approved'; transactionId: string }
  /** The card was declined: an answer, final. */
  | { type: 'declined'; declineCode: string }
  /** The gateway refused the request itself (4xx other than a decline): final too. */
  | { type: 'rejected'; status: number; detail: string }
  /** No answer: timeout, connection error, 5xx or open circuit. Nothing is known. */
  | { type: 'unavailable'; error: string };

/** A charge as the gateway's lookup by reference lists it. */
export interface ChargeRecord {
  chargeId: string;
  status: 'succeeded' | 'declined';
  declineCode?: string;
}

/**
 * The answer a lookup gives for an earlier attempt whose response was lost, or undefined when the
 * gateway never saw it (then charge). A success wins over a decline: money moved.
 */
export function answerFromLookup(charges: readonly ChargeRecord[]): GatewayAnswer | undefined {
  const succeeded = charges.find((charge) => charge.status === 'succeeded');
  if (succeeded) return { type: 'approved', transactionId: succeeded.chargeId };
  const declined = charges.find((charge) => charge.status === 'declined');
  if (declined) return { type: 'declined', declineCode: declined.declineCode ?? 'declined' };
  return undefined;
}

/**
 * Whether to ask the gateway about earlier attempts before charging: any attempt before this one
 * may have charged without us hearing back. `attempt` counts from 1.
 */
export const shouldLookUpFirst = (attempt: number): boolean => attempt > 1;
