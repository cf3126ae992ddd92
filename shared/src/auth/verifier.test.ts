import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';
import { createVerifier, InvalidToken } from './index.js';

const settings = {
  keys: { file: 'unused: the tests hand the key over' },
  issuer: 'https://id.example.test',
  audience: 'orders-api',
  clockSkewSeconds: 0,
};

/** A verifier whose key lookups are counted: one lookup per signature checked. */
async function countingVerifier() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const key = await importJWK((await exportJWK(publicKey)) as JWK, 'ES256');
  let lookups = 0;
  const keys: JWTVerifyGetKey = async () => {
    lookups++;
    return key;
  };
  const sign = (sub: string, expSeconds: number) =>
    new SignJWT({ sub, iss: settings.issuer, aud: settings.audience, exp: expSeconds })
      .setProtectedHeader({ alg: 'ES256' })
      .sign(privateKey);
  return { verifier: createVerifier(settings, keys), sign, lookups: () => lookups };
}

describe('token verifier', () => {
  it('checks a token signature once and trusts the same token again for a minute', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: Date.UTC(2030, 0, 1) });
    const { verifier, sign, lookups } = await countingVerifier();
    const token = await sign('c-1', Date.now() / 1000 + 3600);

    assert.deepEqual(await verifier.verify(token), { subject: 'c-1', scopes: [] });
    assert.deepEqual(await verifier.verify(token), { subject: 'c-1', scopes: [] });
    assert.equal(lookups(), 1);

    t.mock.timers.tick(61_000);
    await verifier.verify(token);
    assert.equal(lookups(), 2, 'checked again after a minute');
  });

  it('refuses a remembered token once it expires', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: Date.UTC(2030, 0, 1) });
    const { verifier, sign } = await countingVerifier();
    const token = await sign('c-1', Date.now() / 1000 + 10);
    await verifier.verify(token);

    t.mock.timers.tick(11_000);
    await assert.rejects(verifier.verify(token), InvalidToken);
  });

  it('never remembers a token it refused', async () => {
    const { verifier, sign, lookups } = await countingVerifier();
    const expired = await sign('c-1', Date.now() / 1000 - 60);
    await assert.rejects(verifier.verify(expired), InvalidToken);
    await assert.rejects(verifier.verify(expired), InvalidToken);
    assert.equal(lookups(), 2);
  });
});
