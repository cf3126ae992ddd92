import type { Logger } from '@saga/shared/logger';
import type { Redis } from 'ioredis';

/** What a replay of the same Idempotency-Key and body answers. */
export interface IdempotentResponse {
  orderId: string;
  status: 'PENDING';
}

export interface IdempotencyRecord {
  requestHash: string;
  response: IdempotentResponse;
}

/**
 * The fast path for Idempotency-Key: a hit answers without touching the database. Best effort:
 * a Redis failure is logged and reads as a miss, since the orders table holds the truth.
 */
export interface IdempotencyCache {
  get(customerId: string, key: string): Promise<IdempotencyRecord | undefined>;
  set(customerId: string, key: string, record: IdempotencyRecord): Promise<void>;
}

export interface IdempotencyCacheConfig {
  redis: Redis;
  /** Namespaces keys, e.g. per environment sharing one Redis. */
  keyPrefix: string;
  ttlSeconds: number;
  logger: Logger;
}

export function createIdempotencyCache(config: IdempotencyCacheConfig): IdempotencyCache {
  const { redis, ttlSeconds, logger } = config;
  // Keys are per customer; the id is encoded so that no customer id can forge another's key.
  const redisKey = (customerId: string, key: string) =>
    `${config.keyPrefix}order:idempotency:${encodeURIComponent(customerId)}:${key}`;
  return {
    async get(customerId, key) {
      try {
        const stored = await redis.get(redisKey(customerId, key));
        return stored ? (JSON.parse(stored) as IdempotencyRecord) : undefined;
      } catch (error) {
        logger.warn({ err: error }, 'idempotency cache read failed; using the database');
        return undefined;
      }
    },
    async set(customerId, key, record) {
      try {
        await redis.set(redisKey(customerId, key), JSON.stringify(record), 'EX', ttlSeconds);
      } catch (error) {
        logger.warn({ err: error }, 'idempotency cache write failed');
      }
    },
  };
}
