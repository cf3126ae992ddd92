import { z } from 'zod';
import { loadConfig } from '../config/index.js';
import { createTokenIssuer, readSigningKey, type TokenIssuer } from './issuer.js';

/** What the local stack writes for signing tokens; services never hold it. */
const signingSettingsSchema = z.object({
  AUTH_SIGNING_KEY_FILE: z.string().min(1),
  AUTH_ISSUER: z.string().min(1),
  AUTH_AUDIENCE: z.string().min(1),
});

/** Signs tokens with the local stack's key (`npm run stack -- up` makes it). */
export async function stackTokenIssuer(): Promise<TokenIssuer> {
  const settings = loadConfig(signingSettingsSchema);
  return createTokenIssuer({
    signingKey: await readSigningKey(settings.AUTH_SIGNING_KEY_FILE),
    issuer: settings.AUTH_ISSUER,
    audience: settings.AUTH_AUDIENCE,
  });
}
