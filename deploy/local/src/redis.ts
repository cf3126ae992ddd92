// Redis: the machine's server when reachable, else a private, non-persistent one.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { type Component, component, type Settings } from './component.ts';
import { redisUrl, stateDir } from './config.ts';
import { freePort } from './ports.ts';
import { startDetached } from './process.ts';

async function healthy(settings: Settings): Promise<boolean> {
  const client = new Redis(settings.REDIS_URL!, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * The keys the platform writes (order-service's idempotency records, `<topic prefix>order:…`),
 * matched so that a shared server's other keys are never touched.
 */
const platformKeys = '*order:idempotency:*';

/** Deletes the platform's keys from a server the stack reuses; returns how many there were. */
export async function deletePlatformKeys(url: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    for await (const keys of client.scanStream({ match: platformKeys, count: 1000 })) {
      if ((keys as string[]).length > 0) deleted += await client.unlink(...(keys as string[]));
    }
  } finally {
    client.disconnect();
  }
  return deleted;
}

async function start() {
  const port = await freePort();
  const dir = join(stateDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const pid = startDetached('redis', 'redis-server', [...args, '--dir', dir]);
  // Redis rewrites its process title to "redis-server <bind>:<port>".
  return { pid, port, marker: `127.0.0.1:${port}`, url: `redis://127.0.0.1:${port}` };
}

export const redis: Component = component({
  name: 'redis',
  defaultPort: Number(new URL(redisUrl).port || 6379),
  reusable: true,
  settings: (started) => ({ REDIS_URL: started?.url ?? redisUrl }),
  healthy,
  start,
});
