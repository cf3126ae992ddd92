import { errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { keySet } from './key-set.js';
import type { VerifierSettings } from './settings.js';

/** Asymmetric only, and pinned: a token's own `alg` header never chooses how it is checked. */
export const ALGORITHMS = ['ES256', 'RS256'] as const;

/** The scope of operators: product writes, other customers' orders, saga operations. */
export const ADMIN_SCOPE = 'admin';

/** Who a verified token speaks for. */
export interface Principal {
  /** The token's `sub`: the customer id for a customer's token. */
  subject: string;
  scopes: readonly string[];
}

export const hasScope = (principal: Principal, scope: string) => principal.scopes.includes(scope);

/** A token that does not prove who sends it: answered 401. */
export class InvalidToken extends Error {
  override name = 'InvalidToken';
}

export interface Verifier {
  /** The token's principal; InvalidToken when it is not one of ours, or not valid now. */
  verify(token: string): Promise<Principal>;
}

export function createVerifier(
  settings: VerifierSettings,
  keys: JWTVerifyGetKey = keySet(settings.keys),
): Verifier {
  return {
    async verify(token) {
      let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: [...ALGORITHMS],
          issuer: settings.issuer,
          audience: settings.audience,
          clockTolerance: settings.clockSkewSeconds,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (error) {
        // A key set that cannot be fetched is an outage, not the caller's fault.
        if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) {
          throw new InvalidToken(error.message);
        }
        throw error;
      }
      return { subject: payload.sub!, scopes: scopesOf(payload.scope) };
    },
  };
}

/** RFC 8693's `scope` claim: space-separated names. */
function scopesOf(claim: unknown): string[] {
  return typeof claim === 'string' ? claim.split(' ').filter(Boolean) : [];
}
