import { readFile } from 'node:fs/promises';
import { importJWK, type JWK, SignJWT } from 'jose';
import { ADMIN_SCOPE } from './verifier.js';

export interface TokenIssuerOptions {
  /** A private JSON Web Key with its `kid` and `alg`. */
  signingKey: JWK;
  issuer: string;
  audience: string;
}

export interface TokenRequest {
  subject: string;
  scopes?: readonly string[];
  ttlSeconds?: number;
}

export type TokenIssuer = (request: TokenRequest) => Promise<string>;

const HOUR = 3600;

/** Signs tokens as an identity provider would: for the local stack, its tests and its tools. */
export async function createTokenIssuer(options: TokenIssuerOptions): Promise<TokenIssuer> {
  const { signingKey } = options;
  if (!signingKey.alg || !signingKey.kid) throw new Error('The signing key needs its alg and kid');
  const key = await importJWK(signingKey, signingKey.alg);
  return ({ subject, scopes = [], ttlSeconds = HOUR }) =>
    new SignJWT(scopes.length > 0 ? { scope: scopes.join(' ') } : {})
      .setProtectedHeader({ alg: signingKey.alg!, kid: signingKey.kid!, typ: 'JWT' })
      .setSubject(subject)
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(key);
}

export async function readSigningKey(file: string): Promise<JWK> {
  return JSON.parse(await readFile(file, 'utf8')) as JWK;
}

/**
 * Tokens for callers that act as many customers (the demo, the benchmark, the tests), each
 * signed once and reused until the last quarter of its life.
 */
export function tokenCache(issue: TokenIssuer, ttlSeconds = HOUR) {
  const cached = new Map<string, { token: Promise<string>; renewAt: number }>();
  const tokenFor = (subject: string, scopes: readonly string[]) => {
    const key = `${subject} ${scopes.join(' ')}`;
    const hit = cached.get(key);
    if (hit && hit.renewAt > Date.now()) return hit.token;
    const token = issue({ subject, scopes, ttlSeconds });
    cached.set(key, { token, renewAt: Date.now() + ttlSeconds * 750 });
    return token;
  };
  return {
    customer: (customerId: string) => tokenFor(customerId, []),
    admin: () => tokenFor('operator', [ADMIN_SCOPE]),
  };
}

export type Credentials = ReturnType<typeof tokenCache>;
