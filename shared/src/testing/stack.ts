import { type Credentials, stackTokenIssuer, tokenCache } from '../auth/index.js';
import { loadConfig, type StackSettings, stackSchema } from '../config/index.js';

/** Connection settings of the running local stack (`npm run stack -- up`), for tests. */
export function stackSettings(): StackSettings {
  return loadConfig(stackSchema);
}

/** Tokens signed with the local stack's key, one per customer, and an operator's. */
export async function stackCredentials(): Promise<Credentials> {
  return tokenCache(await stackTokenIssuer());
}
