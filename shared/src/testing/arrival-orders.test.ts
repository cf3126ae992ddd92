import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arrivalOrders } from './arrival-orders.js';

const sorted = (order: number[]) => [...order].sort((a, b) => a - b);

describe('arrival orders', () => {
  it('tries every order of a few events', () => {
    const orders = arrivalOrders(3);
    assert.equal(orders.length, 6);
    assert.equal(new Set(orders.map(String)).size, 6);
    for (const order of orders) assert.deepEqual(sorted(order), [0, 1, 2]);
  });

  it('tries the given order, its reverse and the same seeded shuffles of many events', () => {
    const orders = arrivalOrders(6, 10);
    assert.equal(orders.length, 10);
    assert.deepEqual(orders[0], [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(orders[1], [5, 4, 3, 2, 1, 0]);
    for (const order of orders) assert.deepEqual(sorted(order), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(arrivalOrders(6, 10), orders);
  });
});
