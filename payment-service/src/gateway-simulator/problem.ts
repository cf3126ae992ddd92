/** One named field of a request that was wrong, and why. */
export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem document; `type` is stable, callers branch on it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const typeOf = (slug: string) => `urn:saga:payment-gateway:${slug}`;

/** A failure the HTTP layer answers with a problem document. */
export class ProblemError extends Error {
  readonly problem: Problem;

  constructor(
    slug: string,
    title: string,
    status: number,
    detail: string,
    errors: FieldError[] = [],
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.problem = { type: typeOf(slug), title, status, detail, errors };
  }
}

export const problems = {
  invalidRequest: (errors: FieldError[]) =>
    new ProblemError(
      'invalid-request',
      'The request is invalid',
      400,
      errors.map(({ field, message }) => `${field}: ${message}`).join('; '),
      errors,
    ),
  idempotencyKeyReused: (key: string) =>
    new ProblemError(
      'idempotency-key-reused',
      'The idempotency key was used with a different request',
      409,
      `Idempotency-Key "${key}" was first used with a different body`,
      [{ field: 'Idempotency-Key', message: 'already used with a different body' }],
    ),
  chargeNotFound: (chargeId: string, field: string) =>
    new ProblemError(
      'charge-not-found',
      'No such charge',
      404,
      `Charge ${chargeId} does not exist`,
      [{ field, message: 'no charge with this id' }],
    ),
  refundExceedsCharge: (chargeId: string, refundableMinor: number) =>
    new ProblemError(
      'refund-exceeds-charge',
      'The refund exceeds what is left to refund',
      422,
      `Charge ${chargeId} has ${refundableMinor} minor units left to refund`,
      [{ field: 'amountMinor', message: `must be at most ${refundableMinor}` }],
    ),
  refundRefused: (chargeId: string) =>
    new ProblemError(
      'refund-refused',
      'The refund is refused',
      422,
      `Refunds of charge ${chargeId} are refused (refuseRefunds knob)`,
    ),
  unavailable: () =>
    new ProblemError(
      'gateway-unavailable',
      'The gateway is unavailable',
      503,
      'The simulator is in outage mode; nothing was charged or refunded',
    ),
  internal: () =>
    new ProblemError('internal', 'Internal error', 500, 'The simulator failed unexpectedly'),
};
