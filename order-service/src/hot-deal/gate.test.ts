import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@saga/shared/logger';
import { stackSettings } from '@saga/shared/testing';
import { Redis } from 'ioredis';
import { createHotDealGate, type HotDealGateConfig } from './gate.js';
import type { HoldEvent } from './hot-deal-metrics.js';

const logger = createLogger({ service: 'hot-deal-gate-test', level: 'silent' });

describe('hot-deal gate', () => {
  let redis: Redis;
  // Every gate of this run writes under its own prefix: runs never see each other's counters.
  const run = `t${randomBytes(4).toString('hex')}.`;

  /** A gate whose PostgreSQL says `stock` units are sellable, and what it counted. */
  function gateWith(stock: Record<string, number>, overrides: Partial<HotDealGateConfig> = {}) {
    const events: HoldEvent[] = [];
    const seeds: string[] = [];
    const gate = createHotDealGate({
      redis,
      keyPrefix: `${run}${randomBytes(3).toString('hex')}.`,
      holdSeconds: 60,
      async sellable(productId) {
        seeds.push(productId);
        return stock[productId];
      },
      metrics: (event) => events.push(event),
      logger,
      ...overrides,
    });
    const count = (event: HoldEvent) => events.filter((seen) => seen === event).length;
    return { gate, seeds, count };
  }

  const one = (productId: string, quantity = 1) => [{ productId, quantity }];

  before(async () => {
    redis = new Redis(stackSettings().REDIS_URL);
  });

  after(async () => {
    const keys = await redis.keys(`${run}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('holds units to exactly the stock PostgreSQL seeds, then refuses sold out', async () => {
    const { gate, seeds, count } = gateWith({ lamp: 10 });
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => gate.hold(randomUUID(), one('lamp'))),
    );
    const kinds = outcomes.map((outcome) => outcome.kind);
    assert.equal(kinds.filter((kind) => kind === 'held').length, 10);
    assert.equal(kinds.filter((kind) => kind === 'sold-out').length, 40);
    assert.deepEqual(
      outcomes.find((outcome) => outcome.kind === 'sold-out'),
      { kind: 'sold-out', productId: 'lamp' },
    );
    // Fifty requests found the counter missing at once; PostgreSQL was asked once.
    assert.deepEqual(seeds, ['lamp']);
    assert.deepEqual([count('taken'), count('refused')], [10, 40]);
  });

  it('refuses an order larger than what is left, and still serves a smaller one', async () => {
    const { gate } = gateWith({ lamp: 3 });
    assert.equal((await gate.hold(randomUUID(), one('lamp', 4))).kind, 'sold-out');
    assert.equal((await gate.hold(randomUUID(), one('lamp', 3))).kind, 'held');
    assert.equal((await gate.hold(randomUUID(), one('lamp'))).kind, 'sold-out');
  });

  it('takes no second hold when the same order is held again', async () => {
    const { gate, count } = gateWith({ lamp: 2 });
    const orderId = randomUUID();
    assert.equal((await gate.hold(orderId, one('lamp'))).kind, 'held');
    assert.equal((await gate.hold(orderId, one('lamp'))).kind, 'held');
    assert.equal((await gate.hold(randomUUID(), one('lamp'))).kind, 'held');
    assert.equal((await gate.hold(randomUUID(), one('lamp'))).kind, 'sold-out');
    assert.equal(count('taken'), 2);
  });

  it('holds every line of an order or none', async () => {
    const { gate } = gateWith({ lamp: 5, rug: 1 });
    const both = [
      { productId: 'lamp', quantity: 2 },
      { productId: 'rug', quantity: 2 },
    ];
    assert.deepEqual(await gate.hold(randomUUID(), both), { kind: 'sold-out', productId: 'rug' });
    // The lamps the refused order asked for were not taken.
    assert.equal((await gate.hold(randomUUID(), one('lamp', 5))).kind, 'held');
  });

  it('gives units back when an order is canceled or not placed, not when it completed', async () => {
    const { gate, count } = gateWith({ lamp: 3 });
    const [completed, declined, outOfStock, notPlaced] = [1, 2, 3, 4].map(() => randomUUID());
    for (const orderId of [completed, declined, outOfStock]) {
      assert.equal((await gate.hold(orderId!, one('lamp'))).kind, 'held');
    }
    assert.equal((await gate.hold(notPlaced!, one('lamp'))).kind, 'sold-out');

    await gate.ended({ id: completed!, status: 'COMPLETED', failureReason: null });
    await gate.ended({ id: outOfStock!, status: 'CANCELED', failureReason: 'OUT_OF_STOCK' });
    assert.equal((await gate.hold(notPlaced!, one('lamp'))).kind, 'sold-out');

    await gate.ended({ id: declined!, status: 'CANCELED', failureReason: 'PAYMENT_DECLINED' });
    // Ending it again gives nothing back twice.
    await gate.ended({ id: declined!, status: 'CANCELED', failureReason: 'PAYMENT_DECLINED' });
    assert.equal((await gate.hold(notPlaced!, one('lamp'))).kind, 'held');
    await gate.giveBack(notPlaced!);
    assert.equal((await gate.hold(randomUUID(), one('lamp'))).kind, 'held');
    assert.equal((await gate.hold(randomUUID(), one('lamp'))).kind, 'sold-out');
    assert.deepEqual([count('consumed'), count('released'), count('given-back')], [1, 2, 1]);
  });

  it('re-seeds a forgotten counter from PostgreSQL, as after a restock or a Redis loss', async () => {
    const stock = { lamp: 1 };
    const { gate, seeds } = gateWith(stock);
    assert.equal((await gate.hold(randomUUID(), one('lamp'))).kind, 'held');
    assert.equal((await gate.hold(randomUUID(), one('lamp'))).kind, 'sold-out');
    stock.lamp = 2;
    await gate.forget('lamp');
    const after = await Promise.all([1, 2, 3].map(() => gate.hold(randomUUID(), one('lamp'))));
    assert.deepEqual(after.map((outcome) => outcome.kind).sort(), ['held', 'held', 'sold-out']);
    assert.deepEqual(seeds, ['lamp', 'lamp']);
  });

  it('lists holds once their expiry passed and restores their units when expired', async () => {
    const { gate, count } = gateWith({ lamp: 2 }, { holdSeconds: 0.2 });
    const [stalled, completed] = [randomUUID(), randomUUID()];
    await gate.hold(stalled, one('lamp'));
    await gate.hold(completed, one('lamp'));
    assert.deepEqual(await gate.due(10), []);
    await sleep(300);
    assert.deepEqual((await gate.due(10)).sort(), [stalled, completed].sort());

    assert.equal(await gate.expire(stalled, true), true);
    assert.equal(await gate.expire(completed, false), true);
    assert.equal(await gate.expire(stalled, true), false);
    assert.deepEqual(await gate.due(10), []);
    assert.equal(count('expired'), 2);
    assert.equal((await gate.hold(randomUUID(), one('lamp'))).kind, 'held');
    assert.equal((await gate.hold(randomUUID(), one('lamp'))).kind, 'sold-out');
  });

  it('lets orders through unheld when Redis cannot be reached', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    try {
      const { gate, count } = gateWith({ lamp: 0 }, { redis: down });
      assert.deepEqual(await gate.hold(randomUUID(), one('lamp')), { kind: 'skipped' });
      await gate.ended({ id: randomUUID(), status: 'COMPLETED', failureReason: null });
      assert.equal(count('skipped'), 1);
    } finally {
      down.disconnect();
    }
  });
});
