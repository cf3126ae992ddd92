import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import { createTokenIssuer, createVerifier, keySet, type TokenIssuer } from '../auth/index.js';
import { createLogger } from '../logger/index.js';
import { createPlatformMetrics } from '../metrics/index.js';
import { authenticate, createHttpApp, listen, principalOf, requireScope } from './index.js';

const ISSUER = 'https://id.example.test';
const AUDIENCE = 'orders-api';

async function signingKey(alg: 'ES256' | 'RS256', kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), alg, kid };
}

const publicOf = ({ d, p, q, dp, dq, qi, ...publicJwk }: JWK) => publicJwk;

describe('bearer authentication', () => {
  let server: Server;
  let url: string;
  let dir: string;
  let jwksFile: string;
  let first: TokenIssuer;
  let second: TokenIssuer;
  let stranger: TokenIssuer;
  let firstKey: JWK;

  /** A token of the first key with exactly these claims (an undefined one is left out). */
  async function rawToken(claims: JWTPayload) {
    const now = Math.floor(Date.now() / 1000);
    const payload = { sub: 'c-1', iss: ISSUER, aud: AUDIENCE, exp: now + 3600, ...claims };
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid: 'first' })
      .sign(await importJWK(firstKey, 'ES256'));
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-test-'));
    jwksFile = join(dir, 'jwks.json');
    const [es, rs, other] = await Promise.all([
      signingKey('ES256', 'first'),
      signingKey('RS256', 'second'),
      signingKey('ES256', 'stranger'),
    ]);
    firstKey = es;
    await writeFile(jwksFile, JSON.stringify({ keys: [publicOf(es), publicOf(rs)] }));
    const issuer = (key: JWK) =>
      createTokenIssuer({ signingKey: key, issuer: ISSUER, audience: AUDIENCE });
    [first, second, stranger] = await Promise.all([issuer(es), issuer(rs), issuer(other)]);
    const settings = {
      keys: { file: jwksFile },
      issuer: ISSUER,
      audience: AUDIENCE,
      clockSkewSeconds: 30,
    };
    const verifier = createVerifier(settings, keySet(settings.keys, 0));

    const app = createHttpApp({
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ service: 'auth-test', level: 'silent' }),
      metrics: createPlatformMetrics('auth-test'),
      readiness: {},
      guards: [authenticate(verifier)],
      routes: (app) => {
        app.get('/me', (_request, response) => {
          response.json(principalOf(response));
        });
        app.put('/admin-only', requireScope('admin'), (_request, response) => {
          response.json({ ok: true });
        });
      },
    });
    server = await listen(app, '127.0.0.1', 0);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  const me = (token?: string) =>
    fetch(`${url}/me`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  async function refused(response: Response, error?: string) {
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const challenge = response.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /^Bearer realm="saga"/);
    if (error) assert.match(challenge, new RegExp(`error="${error}"`));
    return (await response.json()) as { type: string; detail: string };
  }

  it('lets a valid token through with its subject and scopes', async () => {
    const response = await me(await first({ subject: 'c-1', scopes: ['admin', 'read'] }));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { subject: 'c-1', scopes: ['admin', 'read'] });
  });

  it('accepts tokens of either key in the set (rotation), ES256 and RS256', async () => {
    for (const issue of [first, second]) {
      assert.equal((await me(await issue({ subject: 'c-1' }))).status, 200);
    }
  });

  it('answers a missing or malformed header with 401 and a challenge', async () => {
    const missing = await refused(await me());
    assert.equal(missing.type, '/problems/unauthenticated');
    const basic = await fetch(`${url}/me`, { headers: { authorization: 'Basic YTpi' } });
    await refused(basic);
  });

  it('leaves health, readiness and metrics open', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      assert.equal((await fetch(`${url}${path}`)).status, 200, path);
    }
  });

  it('refuses a token of a key outside the set, or of another issuer or audience', async () => {
    const foreign = await refused(await me(await stranger({ subject: 'c-1' })), 'invalid_token');
    assert.equal(foreign.type, '/problems/invalid-token');
    await refused(await me(await rawToken({ iss: 'https://evil.example.test' })), 'invalid_token');
    await refused(await me(await rawToken({ aud: 'another-api' })), 'invalid_token');
  });

  it('refuses expired and not-yet-valid tokens beyond the clock skew, and takes them within it', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, Record<string, number>, number][] = [
      ['expired a minute ago', { exp: now - 60 }, 401],
      ['expired 10 s ago, inside the skew', { exp: now - 10 }, 200],
      ['valid from in a minute', { exp: now + 3600, nbf: now + 60 }, 401],
      ['valid from in 10 s, inside the skew', { exp: now + 3600, nbf: now + 10 }, 200],
    ];
    for (const [what, claims, status] of cases) {
      const response = await me(await rawToken(claims));
      assert.equal(response.status, status, what);
    }
  });

  it('refuses a token without exp or sub', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refused(await me(await rawToken({ exp: undefined })), 'invalid_token');
    await refused(await me(await rawToken({ sub: undefined, exp: now + 60 })), 'invalid_token');
  });

  it('never lets the token choose a symmetric or no algorithm', async () => {
    const header = (alg: string) =>
      Buffer.from(JSON.stringify({ alg, kid: 'first', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'c-1', iss: ISSUER, aud: AUDIENCE, exp: Date.now() / 1000 + 60 }),
    ).toString('base64url');
    const hs256 = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'first' })
      .setSubject('c-1')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-anyone-could-guess'));
    await refused(await me(hs256), 'invalid_token');
    await refused(await me(`${header('none')}.${payload}.`));
  });

  it('picks up a key added to the key set file without a restart', async () => {
    const added = await signingKey('ES256', 'added');
    const issue = await createTokenIssuer({
      signingKey: added,
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const token = await issue({ subject: 'c-1' });
    await refused(await me(token), 'invalid_token');
    const { keys } = JSON.parse(await readFile(jwksFile, 'utf8'));
    await writeFile(jwksFile, JSON.stringify({ keys: [...keys, publicOf(added)] }));
    assert.equal((await me(token)).status, 200);
  });

  it('answers 403 with the scope it needs when the token lacks it', async () => {
    const put = async (token: string) =>
      fetch(`${url}/admin-only`, { method: 'PUT', headers: { authorization: `Bearer ${token}` } });
    const customer = await put(await first({ subject: 'c-1' }));
    assert.equal(customer.status, 403);
    assert.match(
      customer.headers.get('www-authenticate') ?? '',
      /error="insufficient_scope", scope="admin"/,
    );
    assert.equal(((await customer.json()) as { type: string }).type, '/problems/forbidden');
    assert.equal((await put(await first({ subject: 'ops', scopes: ['admin'] }))).status, 200);
  });

  it('answers 503 to retry when the key set cannot be fetched', async () => {
    const settings = {
      keys: { url: new URL('http://127.0.0.1:9/jwks.json') },
      issuer: ISSUER,
      audience: AUDIENCE,
      clockSkewSeconds: 30,
    };
    const app = createHttpApp({
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ service: 'auth-test', level: 'silent' }),
      metrics: createPlatformMetrics('auth-test-2'),
      readiness: {},
      guards: [authenticate(createVerifier(settings))],
      routes: (app) => app.get('/me', (_request, response) => response.json({})),
    });
    const down = await listen(app, '127.0.0.1', 0);
    try {
      const port = (down.address() as AddressInfo).port;
      const response = await fetch(`http://127.0.0.1:${port}/me`, {
        headers: { authorization: `Bearer ${await first({ subject: 'c-1' })}` },
      });
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('retry-after'), '1');
    } finally {
      await new Promise<void>((resolve) => down.close(() => resolve()));
    }
  });
});
