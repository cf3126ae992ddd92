export {
  type Credentials,
  createTokenIssuer,
  readSigningKey,
  type TokenIssuer,
  type TokenRequest,
  tokenCache,
} from './issuer.js';
export { keySet } from './key-set.js';
export {
  type AuthSettings,
  authSettingsSchema,
  type VerifierSettings,
  verifierSettings,
} from './settings.js';
export { stackTokenIssuer } from './signing.js';
export {
  ADMIN_SCOPE,
  ALGORITHMS,
  createVerifier,
  hasScope,
  InvalidToken,
  type Principal,
  type Verifier,
} from './verifier.js';
