import type { Logger } from '@saga/shared/logger';
import type { Redis } from 'ioredis';
import type { OrderRow } from '../db/schema.js';
import type { RequestedItem } from '../domain/pricing.js';
import { restoresUnits } from './hold-ending.js';
import type { HoldEvent, HotDealMetrics } from './hot-deal-metrics.js';
import { defineHotDealScripts } from './scripts.js';

export type HoldOutcome =
  | { kind: 'held' }
  | { kind: 'sold-out'; productId: string }
  /** Redis (or the seed) unreachable: the order goes on unheld, inventory's stock decides. */
  | { kind: 'skipped' };

export interface HotDealGateConfig {
  redis: Redis;
  /** Namespaces keys, e.g. per environment sharing one Redis. */
  keyPrefix: string;
  /** How long a hold lives unless its saga ends first: longer than the saga deadline. */
  holdSeconds: number;
  /** Units sellable per PostgreSQL, which seeds a counter that is missing. */
  sellable(productId: string): Promise<number | undefined>;
  metrics: HotDealMetrics;
  logger: Logger;
}

/**
 * The door of a hot deal: a Redis counter per product, which holds are taken from atomically
 * (check, decrement, record the hold with its expiry, in one script). PostgreSQL stays the truth:
 * a counter is only ever seeded from it, when missing (first order, Redis lost, or forgotten
 * after a product.upserted), and inventory's conditional update still decides each sale, so a
 * counter that is too high costs compensations, never an oversale. Fails open like the platform's
 * other Redis uses.
 */
export interface HotDealGate {
  /** Holds every line for the order, or none. Holding the same order again takes nothing. */
  hold(orderId: string, lines: readonly RequestedItem[]): Promise<HoldOutcome>;
  /** The order was not placed after all (the insert failed): its units go back. */
  giveBack(orderId: string): Promise<void>;
  /** After the commit that ended `order`: its units are sold, or go back (`restoresUnits`). */
  ended(order: Pick<OrderRow, 'id' | 'status' | 'failureReason'>): Promise<void>;
  /** Drops a product's counter, so the next hold seeds it from the replica just updated. */
  forget(productId: string): Promise<void>;
  /** Holds whose expiry passed, oldest first, at most `limit`. */
  due(limit: number): Promise<string[]>;
  /** Ends an expired hold, restoring its units or not; whether it was still there. */
  expire(orderId: string, restore: boolean): Promise<boolean>;
}

export function createHotDealGate(config: HotDealGateConfig): HotDealGate {
  const { redis, metrics, logger } = config;
  defineHotDealScripts(redis);
  // One hash tag for every key: the scripts touch several, which must share a cluster slot.
  const base = `${config.keyPrefix}order:{hot-deal}`;
  const counterPrefix = `${base}:units:`;
  const expiries = `${base}:expiries`;
  const holdOf = (orderId: string) => `${base}:hold:${orderId}`;

  // Concurrent holds that find a counter missing wait for one seed per product, not one each.
  const seeding = new Map<string, Promise<void>>();
  const seed = (productId: string) => {
    let pending = seeding.get(productId);
    if (!pending) {
      pending = (async () => {
        const units = (await config.sellable(productId)) ?? 0;
        // NX: a counter already seeded (by another instance) has holds taken from it since.
        await redis.set(counterPrefix + productId, units, 'NX');
      })().finally(() => seeding.delete(productId));
      seeding.set(productId, pending);
    }
    return pending;
  };

  const end = async (orderId: string, restore: boolean, event: HoldEvent) => {
    const ended = await redis.hotDealEnd(
      holdOf(orderId),
      expiries,
      orderId,
      restore ? 1 : 0,
      counterPrefix,
    );
    if (ended === 1) metrics(event);
    return ended === 1;
  };
  /** Ends a hold after the fact; left to the expiry worker when Redis cannot be reached. */
  const endLater = async (orderId: string, restore: boolean, event: HoldEvent) => {
    try {
      await end(orderId, restore, event);
    } catch (error) {
      logger.warn({ err: error, orderId }, 'hot-deal hold not ended; it will expire');
    }
  };

  return {
    async hold(orderId, lines) {
      const keys = [holdOf(orderId), expiries, ...lines.map((l) => counterPrefix + l.productId)];
      const args = [
        orderId,
        Date.now() + config.holdSeconds * 1000,
        ...lines.flatMap((line) => [line.productId, line.quantity]),
      ];
      try {
        // Each missing counter is seeded once; one more try covers a counter forgotten meanwhile.
        for (let attempt = 0; attempt <= lines.length + 1; attempt++) {
          const [answer, productId] = await redis.hotDealHold(keys.length, ...keys, ...args);
          if (answer === 'held' || answer === 'held-before') {
            if (answer === 'held') metrics('taken');
            return { kind: 'held' };
          }
          if (answer === 'sold-out') {
            metrics('refused');
            return { kind: 'sold-out', productId: productId! };
          }
          await seed(productId!);
        }
        logger.warn({ orderId }, 'hot-deal counter kept vanishing; order placed without a hold');
      } catch (error) {
        logger.warn({ err: error, orderId }, 'hot-deal gate unavailable; order placed unheld');
      }
      metrics('skipped');
      return { kind: 'skipped' };
    },
    giveBack: (orderId) => endLater(orderId, true, 'given-back'),
    ended: (order) =>
      endLater(
        order.id,
        restoresUnits(order),
        order.status === 'COMPLETED' ? 'consumed' : 'released',
      ),
    async forget(productId) {
      try {
        await redis.del(counterPrefix + productId);
      } catch (error) {
        // The counter keeps its old count until the product's next change: high costs
        // compensations, low refuses buyers too early.
        logger.warn({ err: error, productId }, 'hot-deal counter not reconciled');
      }
    },
    due: (limit) => redis.zrangebyscore(expiries, '-inf', Date.now(), 'LIMIT', 0, limit),
    expire: (orderId, restore) => end(orderId, restore, 'expired'),
  };
}
