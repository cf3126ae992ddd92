import { ADMIN_SCOPE, hasScope, type Principal } from '@saga/shared/auth';
import { HttpProblem, PROBLEM_BASE } from '@saga/shared/service';

/**
 * A customer sees their own orders; an operator (admin scope) sees every order. Another
 * customer's order reads as not found, so ids cannot be probed.
 */
export const canRead = (principal: Principal, customerId: string) =>
  principal.subject === customerId || hasScope(principal, ADMIN_SCOPE);

/** Whose orders GET /orders lists: the caller's, or any customer's (or all) for an operator. */
export function listedCustomer(principal: Principal, asked: string | undefined) {
  if (hasScope(principal, ADMIN_SCOPE)) return asked;
  if (asked === undefined || asked === principal.subject) return principal.subject;
  throw new HttpProblem({
    type: `${PROBLEM_BASE}forbidden`,
    title: 'Insufficient scope',
    status: 403,
    detail: `Listing another customer's orders needs a token with scope "${ADMIN_SCOPE}"`,
  });
}
