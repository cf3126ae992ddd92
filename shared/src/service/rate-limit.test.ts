import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { createLogger } from '../logger/index.js';
import { createPlatformMetrics } from '../metrics/index.js';
import { stackSettings } from '../testing/index.js';
import { createHttpApp, listen } from './index.js';
import { rateLimit } from './rate-limit.js';
import { connectRedis } from './redis.js';

const logger = createLogger({ service: 'rate-limit-test', level: 'silent' });

/** A server whose one route is limited to 3 requests a minute per `x-caller` header. */
async function limitedServer(redis: Redis) {
  const counts = { limited: 0, failedOpen: 0 };
  const app = createHttpApp({
    host: '127.0.0.1',
    port: 0,
    logger,
    metrics: createPlatformMetrics('rate-limit-test'),
    readiness: {},
    guards: [
      rateLimit({
        name: 'caller',
        limit: { requests: 3, windowSeconds: 60 },
        key: (request) => request.get('x-caller') ?? 'nobody',
        redis,
        keyPrefix: `t${randomBytes(4).toString('hex')}:`,
        onLimited: () => counts.limited++,
        onFailOpen: () => counts.failedOpen++,
      }),
    ],
    routes: (app) => app.get('/thing', (_request, response) => response.json({ ok: true })),
  });
  const server = await listen(app, '127.0.0.1', 0);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = (caller: string) => fetch(`${url}/thing`, { headers: { 'x-caller': caller } });
  return { server, get, counts };
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('rate limit', () => {
  let redis: Redis;

  before(async () => {
    redis = connectRedis(stackSettings().REDIS_URL, logger);
    await new Promise((resolve) => redis.once('ready', resolve));
  });

  after(() => redis.disconnect());

  it('answers 429 with Retry-After once a key spent its window, and tells what is left', async () => {
    const { server, get, counts } = await limitedServer(redis);
    try {
      const passed = [await get('a'), await get('a'), await get('a')];
      assert.deepEqual(
        passed.map((response) => response.status),
        [200, 200, 200],
      );
      assert.equal(passed[0]!.headers.get('ratelimit-policy'), '"caller";q=3;w=60');
      assert.match(passed[0]!.headers.get('ratelimit') ?? '', /^"caller";r=2;t=(59|60)$/);
      assert.match(passed[2]!.headers.get('ratelimit') ?? '', /^"caller";r=0;t=\d+$/);

      const refused = await get('a');
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.equal(
        ((await refused.json()) as { type: string }).type,
        '/problems/too-many-requests',
      );
      assert.equal(counts.limited, 1);

      assert.equal((await get('b')).status, 200, 'another key has its own window');
    } finally {
      await close(server);
    }
  });

  it('keeps serving when Redis is down, and counts each request let through', async () => {
    const down = connectRedis('redis://127.0.0.1:1', logger);
    const { server, get, counts } = await limitedServer(down);
    try {
      const statuses = [];
      for (let n = 0; n < 5; n++) statuses.push((await get('a')).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
      assert.equal(counts.failedOpen, 5);
    } finally {
      await close(server);
      down.disconnect();
    }
  });
});
