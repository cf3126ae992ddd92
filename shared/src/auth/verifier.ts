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
  /** The principal of a token `verify` took lately and that is still valid; no signature check. */
  known(token: string): Principal | undefined;
}

/** How long a verified token is taken on trust before its signature is checked again, ms. */
const TRUSTED_FOR_MS = 60_000;
/** Tokens remembered at most: clients reuse theirs, so a few thousand cover the active ones. */
const MAX_TRUSTED = 4_096;

/**
 * Checks tokens against `keys`. A valid token is remembered, by its exact text, until it expires
 * or for a minute at most: a client sends the same token with every request, and checking an
 * ECDSA signature costs more CPU than the rest of a request to the API. A key withdrawn from the
 * key set therefore stops its tokens within that minute, not at once.
 */
export function createVerifier(
  settings: VerifierSettings,
  keys: JWTVerifyGetKey = keySet(settings.keys),
): Verifier {
  const trusted = new Map<string, { principal: Principal; untilMs: number }>();

  async function check(token: string): Promise<{ principal: Principal; expiresMs: number }> {
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
    return {
      principal: { subject: payload.sub!, scopes: scopesOf(payload.scope) },
      expiresMs: (payload.exp! + settings.clockSkewSeconds) * 1000,
    };
  }

  function known(token: string): Principal | undefined {
    const entry = trusted.get(token);
    if (entry && Date.now() < entry.untilMs) return entry.principal;
    trusted.delete(token);
    return undefined;
  }

  return {
    known,
    async verify(token) {
      const principal = known(token);
      if (principal) return principal;
      const now = Date.now();
      const checked = await check(token);
      // The oldest entry makes room: Map keeps insertion order.
      if (trusted.size >= MAX_TRUSTED) trusted.delete(trusted.keys().next().value!);
      trusted.set(token, {
        principal: checked.principal,
        untilMs: Math.min(checked.expiresMs, now + TRUSTED_FOR_MS),
      });
      return checked.principal;
    },
  };
}

/** RFC 8693's `scope` claim: space-separated names. */
function scopesOf(claim: unknown): string[] {
  return typeof claim === 'string' ? claim.split(' ').filter(Boolean) : [];
}
