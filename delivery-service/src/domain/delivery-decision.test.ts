import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { carrierRoll, decideDelivery } from './delivery-decision.js';

const reliable = { failureRate: 0, seed: 'seed-1' };
const address = (postalCode: string) => ({ orderId: randomUUID(), postalCode });

describe('delivery decision', () => {
  it('fails an order to postal code 00000 as an undeliverable address', () => {
    assert.deepEqual(decideDelivery(address('00000'), reliable), {
      status: 'FAILED',
      reason: 'UNDELIVERABLE_ADDRESS',
    });
  });

  it('names the undeliverable address even when the carrier would also reject', () => {
    assert.deepEqual(decideDelivery(address('00000'), { failureRate: 1, seed: 'x' }), {
      status: 'FAILED',
      reason: 'UNDELIVERABLE_ADDRESS',
    });
  });

  it('starts every delivery when the failure rate is 0', () => {
    for (let i = 0; i < 1_000; i++) {
      assert.deepEqual(decideDelivery(address('1000-001'), reliable), { status: 'STARTED' });
    }
  });

  it('rejects every delivery when the failure rate is 1', () => {
    for (let i = 0; i < 1_000; i++) {
      assert.deepEqual(decideDelivery(address('1000-001'), { failureRate: 1, seed: 's' }), {
        status: 'FAILED',
        reason: 'CARRIER_REJECTED',
      });
    }
  });

  it('decides the same way for the same seed and order, whenever it is asked', () => {
    const policy = { failureRate: 0.5, seed: 'replay' };
    const orders = Array.from({ length: 200 }, () => address('1000-001'));
    const first = orders.map((order) => decideDelivery(order, policy));
    const again = [...orders].reverse().map((order) => decideDelivery(order, policy));
    assert.deepEqual(again.reverse(), first);
  });

  it('rejects other orders under another seed', () => {
    const orders = Array.from({ length: 200 }, () => randomUUID());
    const rolls = (seed: string) => orders.map((orderId) => carrierRoll(seed, orderId) < 0.5);
    assert.notDeepEqual(rolls('a'), rolls('b'));
  });

  it('rejects roughly the configured fraction of many orders', () => {
    for (const failureRate of [0.1, 0.25, 0.5]) {
      const total = 20_000;
      let rejected = 0;
      for (let i = 0; i < total; i++) {
        const decision = decideDelivery(address('1000-001'), { failureRate, seed: 'fraction' });
        if (decision.status === 'FAILED') rejected++;
      }
      // Five standard deviations of a binomial: a correct hash never trips this.
      const tolerance = 5 * Math.sqrt(failureRate * (1 - failureRate) * total);
      assert.ok(
        Math.abs(rejected - failureRate * total) < tolerance,
        `${rejected} of ${total} rejected at rate ${failureRate}`,
      );
    }
  });

  it('rolls numbers in [0, 1)', () => {
    for (let i = 0; i < 1_000; i++) {
      const roll = carrierRoll('range', randomUUID());
      assert.ok(roll >= 0 && roll < 1, String(roll));
    }
  });
});
