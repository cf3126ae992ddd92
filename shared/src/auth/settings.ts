import { z } from 'zod';
import { ConfigError } from '../config/index.js';

/**
 * How a service checks the bearer tokens of its API. The local stack writes these for its own
 * key pair; in production they name the identity provider's key set, issuer and audience.
 */
export const authSettingsSchema = z.object({
  /** The identity provider's JSON Web Key Set, fetched and cached (refetched for a new key id). */
  AUTH_JWKS_URL: z.url().optional(),
  /** …or a JWKS file, read again when a token names a key id it does not hold. */
  AUTH_JWKS_FILE: z.string().min(1).optional(),
  /** The `iss` every token must carry. */
  AUTH_ISSUER: z.string().min(1).optional(),
  /** The `aud` every token must carry. */
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** Clock difference tolerated on `exp` and `nbf`, seconds. */
  AUTH_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
});

export type AuthSettings = z.infer<typeof authSettingsSchema>;

export interface VerifierSettings {
  keys: { url: URL } | { file: string };
  issuer: string;
  audience: string;
  clockSkewSeconds: number;
}

/**
 * The settings a service with an API needs, or a ConfigError naming what is missing. Optional in
 * the schema because a service without routes (payment, delivery) needs none of them.
 */
export function verifierSettings(settings: AuthSettings): VerifierSettings {
  const problems: string[] = [];
  if (!settings.AUTH_JWKS_URL && !settings.AUTH_JWKS_FILE) {
    problems.push('AUTH_JWKS_URL or AUTH_JWKS_FILE is missing: where the token keys are');
  }
  if (!settings.AUTH_ISSUER) problems.push('AUTH_ISSUER is missing: the issuer tokens must name');
  if (!settings.AUTH_AUDIENCE)
    problems.push('AUTH_AUDIENCE is missing: the audience tokens must name');
  if (problems.length > 0) throw new ConfigError(problems, 'environment');
  return {
    keys: settings.AUTH_JWKS_URL
      ? { url: new URL(settings.AUTH_JWKS_URL) }
      : { file: settings.AUTH_JWKS_FILE! },
    issuer: settings.AUTH_ISSUER!,
    audience: settings.AUTH_AUDIENCE!,
    clockSkewSeconds: settings.AUTH_CLOCK_SKEW_SECONDS,
  };
}
