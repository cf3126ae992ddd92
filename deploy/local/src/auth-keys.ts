// The local stack's token keys: one ES256 key pair, made on the first `up` and kept in the state
// folder (git-ignored), so tokens stay valid across restarts and die with `reset`.
import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from './component.ts';
import { stateDir } from './config.ts';

const dir = join(stateDir, 'auth');
const signingKeyFile = join(dir, 'signing-key.json');
const jwksFile = join(dir, 'jwks.json');

/** What the services and `npm run token` are told; a real deployment names its provider's. */
const ISSUER = 'saga-local-stack';
const AUDIENCE = 'saga-api';

export function ensureAuthKeys(): Settings {
  if (!existsSync(signingKeyFile)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'ES256' };
    writeFileSync(signingKeyFile, `${JSON.stringify(jwk)}\n`, { mode: 0o600 });
  }
  // The key set is derived each time: a key added to it by hand for a rotation is kept.
  const signing = JSON.parse(readFileSync(signingKeyFile, 'utf8'));
  const { d: _private, ...publicJwk } = signing;
  createPublicKey({ key: publicJwk, format: 'jwk' }); // fails loudly on a damaged file
  const others = existsSync(jwksFile)
    ? (JSON.parse(readFileSync(jwksFile, 'utf8')).keys as { kid: string }[]).filter(
        (key) => key.kid !== signing.kid,
      )
    : [];
  writeFileSync(jwksFile, `${JSON.stringify({ keys: [publicJwk, ...others] }, null, 2)}\n`);
  return {
    AUTH_JWKS_FILE: jwksFile,
    AUTH_SIGNING_KEY_FILE: signingKeyFile,
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
  };
}
