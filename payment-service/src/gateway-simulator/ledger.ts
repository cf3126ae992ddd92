import { randomUUID } from 'node:crypto';

export interface Refund {
  refundId: string;
  amountMinor: number;
  reason: string;
  createdAt: string;
}

export interface Charge {
  chargeId: string;
  status: 'succeeded' | 'declined';
  declineCode?: string;
  amountMinor: number;
  currency: string;
  reference: string;
  refunds: Refund[];
  createdAt: string;
}

export type ChargeOutcome = { status: 'succeeded' } | { status: 'declined'; declineCode: string };

/** What `GET /v1/charges` shows: the charge plus how much of it has been refunded. */
export type ChargeView = Charge & { amountRefundedMinor: number };

/**
 * Charges and refunds of the simulated gateway. Kept in memory on purpose: the simulator stands in
 * for an external service within one test or chaos run, and a restart starting empty is fine.
 */
export class Ledger {
  readonly #charges = new Map<string, Charge>();
  readonly #byReference = new Map<string, Charge[]>();

  recordCharge(
    request: Pick<Charge, 'amountMinor' | 'currency' | 'reference'>,
    outcome: ChargeOutcome,
  ): Charge {
    const charge: Charge = {
      chargeId: `ch_${randomUUID()}`,
      ...outcome,
      amountMinor: request.amountMinor,
      currency: request.currency,
      reference: request.reference,
      refunds: [],
      createdAt: new Date().toISOString(),
    };
    this.#charges.set(charge.chargeId, charge);
    const forReference = this.#byReference.get(charge.reference) ?? [];
    forReference.push(charge);
    this.#byReference.set(charge.reference, forReference);
    return charge;
  }

  /** Appends a refund; the caller has checked it against {@link refundable}. */
  recordRefund(charge: Charge, amountMinor: number, reason: string): Refund {
    const refund = {
      refundId: `re_${randomUUID()}`,
      amountMinor,
      reason,
      createdAt: new Date().toISOString(),
    };
    charge.refunds.push(refund);
    return refund;
  }

  charge(chargeId: string): Charge | undefined {
    return this.#charges.get(chargeId);
  }

  chargesFor(reference: string): readonly Charge[] {
    return this.#byReference.get(reference) ?? [];
  }

  /** Minor units still refundable: nothing for a declined charge. */
  refundable(charge: Charge): number {
    return charge.status === 'succeeded' ? charge.amountMinor - refunded(charge) : 0;
  }

  view(charge: Charge): ChargeView {
    return { ...charge, refunds: [...charge.refunds], amountRefundedMinor: refunded(charge) };
  }

  counts() {
    let charges = 0;
    let declines = 0;
    let refunds = 0;
    for (const charge of this.#charges.values()) {
      if (charge.status === 'succeeded') charges += 1;
      else declines += 1;
      refunds += charge.refunds.length;
    }
    return { charges, declines, refunds };
  }
}

function refunded(charge: Charge): number {
  return charge.refunds.reduce((sum, refund) => sum + refund.amountMinor, 0);
}
