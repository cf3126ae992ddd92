import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { InvalidToken, type Principal, type Verifier } from '../auth/index.js';
import { createLogger } from '../logger/index.js';
import { createPlatformMetrics } from '../metrics/index.js';
import { stackSettings } from '../testing/index.js';
import { apiGuards } from './api-guards.js';
import { createHttpApp, listen, principalOf } from './index.js';
import { connectRedis } from './redis.js';
import type { ServiceSettings } from './settings.js';

const logger = createLogger({ service: 'api-guards-test', level: 'silent' });

/** Takes the token `good` for customer c-1 and knows it once taken; counts signature checks. */
function fakeVerifier() {
  const principal: Principal = { subject: 'c-1', scopes: [] };
  const taken = new Set<string>();
  const verifier: Verifier & { checks: number } = {
    checks: 0,
    async verify(token) {
      verifier.checks++;
      if (token !== 'good') throw new InvalidToken('not ours');
      taken.add(token);
      return principal;
    },
    known: (token) => (taken.has(token) ? principal : undefined),
  };
  return verifier;
}

describe('API guards', () => {
  let redis: Redis;
  let server: Server;
  let url: string;
  const verifier = fakeVerifier();

  before(async () => {
    redis = connectRedis(stackSettings().REDIS_URL, logger);
    await new Promise((resolve) => redis.once('ready', resolve));
    const settings = {
      RATE_LIMIT_PER_IP: 4,
      RATE_LIMIT_PER_CUSTOMER: 100,
      RATE_LIMIT_WINDOW_SECONDS: 60,
      KAFKA_TOPIC_PREFIX: `t${randomBytes(4).toString('hex')}.`,
    } as ServiceSettings;
    const metrics = createPlatformMetrics('api-guards-test');
    const app = createHttpApp({
      host: '127.0.0.1',
      port: 0,
      logger,
      metrics,
      readiness: {},
      guards: apiGuards({ service: 'test', settings, verifier, redis, metrics }),
      routes: (app) => app.get('/me', (_request, response) => response.json(principalOf(response))),
    });
    server = await listen(app, '127.0.0.1', 0);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/me`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    redis.disconnect();
  });

  const get = (token: string) => fetch(url, { headers: { authorization: `Bearer ${token}` } });

  it('counts both limits for a token taken before, without checking it again', async () => {
    const first = await get('good');
    const second = await get('good');
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.deepEqual(await second.json(), { subject: 'c-1', scopes: [] });
    assert.equal(verifier.checks, 1);
    assert.equal(second.headers.get('ratelimit'), '"ip";r=2;t=60, "customer";r=98;t=60');
  });

  it('refuses a spent address before checking a token it does not know', async () => {
    // The address has two of its 4 requests left.
    assert.equal((await get('bad')).status, 401);
    assert.equal((await get('bad')).status, 401);
    const checks = verifier.checks;
    const refused = await get('also-bad');
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get('ratelimit-policy') ?? '', /^"ip"/);
    assert.equal(verifier.checks, checks, 'no signature checked');
    assert.equal((await get('good')).status, 429, 'a known token is refused too');
  });
});
