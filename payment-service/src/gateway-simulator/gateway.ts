import type { Logger } from '@saga/shared/logger';
import { IdempotencyStore, type IdempotentResult, type StoredReply } from './idempotency.js';
import type { Knobs } from './knobs.js';
import { type Charge, type ChargeOutcome, type ChargeView, Ledger } from './ledger.js';
import { problems } from './problem.js';
import type { ChargeRequest, RefundRequest, Token } from './requests.js';

export interface ChargeResult extends IdempotentResult {
  /** The charge is recorded but the caller must get no answer, as if the call timed out. */
  dropResponse: boolean;
}

export interface GatewayStats {
  charges: number;
  declines: number;
  refunds: number;
  replays: number;
  timeouts: number;
}

interface Decision {
  outcome: ChargeOutcome;
  dropResponse: boolean;
}

const SUCCEEDED = { status: 'succeeded' } as const;

/** What the simulated gateway does with a charge or a refund, independent of HTTP framing. */
export class Gateway {
  readonly #ledger = new Ledger();
  readonly #idempotency = new IdempotencyStore();
  #replays = 0;
  #timeouts = 0;

  constructor(
    readonly knobs: Knobs,
    private readonly logger: Logger,
  ) {}

  charge(key: string, request: ChargeRequest): ChargeResult {
    let dropResponse = false;
    const result = this.#idempotency.run('charge', key, request, () => {
      const decision = this.#decide(request.token);
      const charge = this.#ledger.recordCharge(request, decision.outcome);
      dropResponse = decision.dropResponse;
      // At debug: a line per call would cost the simulator more than the call itself, and
      // GET /admin/stats counts them.
      this.logger.debug(
        {
          chargeId: charge.chargeId,
          reference: charge.reference,
          status: charge.status,
          dropResponse,
        },
        'charge recorded',
      );
      return chargeReply(charge);
    });
    if (result.replayed) this.#replays += 1;
    if (dropResponse) this.#timeouts += 1;
    return { ...result, dropResponse };
  }

  refund(key: string, request: RefundRequest): IdempotentResult {
    const result = this.#idempotency.run('refund', key, request, () => {
      const charge = this.#ledger.charge(request.chargeId);
      if (!charge) throw problems.chargeNotFound(request.chargeId, 'chargeId');
      if (this.knobs.current().refuseRefunds) throw problems.refundRefused(charge.chargeId);
      const refundable = this.#ledger.refundable(charge);
      if (request.amountMinor > refundable) {
        throw problems.refundExceedsCharge(charge.chargeId, refundable);
      }
      const refund = this.#ledger.recordRefund(charge, request.amountMinor, request.reason);
      this.logger.debug(
        { chargeId: charge.chargeId, refundId: refund.refundId, reference: charge.reference },
        'refund recorded',
      );
      return {
        status: 201,
        body: {
          refundId: refund.refundId,
          chargeId: charge.chargeId,
          status: 'succeeded',
          amountMinor: refund.amountMinor,
        },
      };
    });
    if (result.replayed) this.#replays += 1;
    return result;
  }

  findCharge(chargeId: string): ChargeView {
    const charge = this.#ledger.charge(chargeId);
    if (!charge) throw problems.chargeNotFound(chargeId, 'id');
    return this.#ledger.view(charge);
  }

  chargesFor(reference: string): ChargeView[] {
    return this.#ledger.chargesFor(reference).map((charge) => this.#ledger.view(charge));
  }

  stats(): GatewayStats {
    return { ...this.#ledger.counts(), replays: this.#replays, timeouts: this.#timeouts };
  }

  #decide(token: Token): Decision {
    switch (token) {
      case 'tok_decline':
        return {
          outcome: { status: 'declined', declineCode: 'card_declined' },
          dropResponse: false,
        };
      case 'tok_timeout_charged':
        return { outcome: SUCCEEDED, dropResponse: true };
      case 'tok_ok': {
        const { declineRate, timeoutChargedRate } = this.knobs.current();
        // Both draws always happen, so one seed gives one sequence whatever the outcomes.
        const declined = this.knobs.chance(declineRate);
        const timedOut = this.knobs.chance(timeoutChargedRate);
        return declined
          ? {
              outcome: { status: 'declined', declineCode: 'insufficient_funds' },
              dropResponse: false,
            }
          : { outcome: SUCCEEDED, dropResponse: timedOut };
      }
    }
  }
}

function chargeReply(charge: Charge): StoredReply {
  if (charge.status === 'declined') {
    return {
      status: 402,
      body: { chargeId: charge.chargeId, status: charge.status, declineCode: charge.declineCode },
    };
  }
  const { chargeId, status, amountMinor, currency, reference } = charge;
  return { status: 201, body: { chargeId, status, amountMinor, currency, reference } };
}
