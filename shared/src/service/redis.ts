import { Redis } from 'ioredis';
import type { Logger } from '../logger/index.js';

/**
 * The service's Redis client, for what may do without Redis for a while (rate limits fail open,
 * caches fall back to the database): commands fail at once instead of queueing while
 * disconnected, and a hung server costs at most `commandTimeoutMs`. It keeps reconnecting in the
 * background; the outage is logged once, not at every attempt.
 */
export function connectRedis(url: string, logger: Logger, commandTimeoutMs = 250): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    // Commands issued in one turn of the event loop leave in one write (a request's two rate
    // limits, say): one round trip and one wake-up of Redis instead of several.
    enableAutoPipelining: true,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let down = false;
  redis.on('error', (error) => {
    if (!down)
      logger.warn({ err: error }, 'redis unreachable; rate limits fail open, caches fall back');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info('redis reachable again');
    down = false;
  });
  return redis;
}
